package org.ringchat.api;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The identity of a node: the SHA-256 hash of its Ed25519 public key, printed as 52 characters of
 * lower-case base32 (RFC 4648 alphabet, no padding) so that it can be copied and pasted.
 */
public final class PeerId implements Comparable<PeerId> {

    /** Length of a peer ID in bytes. */
    public static final int LENGTH = 32;

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int TEXT_LENGTH = (LENGTH * 8 + 4) / 5;

    private final byte[] bytes;
    /** Never updated: only copied ({@link #fromPublicKey}). */
    private static final MessageDigest UNUSED_SHA256 = newSha256();

    /** Computed once: peer IDs are map keys on every message's way. */
    private final int hash;
    /** Printed on first use only: most IDs a node decodes are never printed. */
    private String text;

    private PeerId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The peer ID belonging to a raw 32-byte Ed25519 public key. */
    public static PeerId fromPublicKey(byte[] publicKey) {
        MessageDigest sha256;
        try {
            // a copy of an unused digest: every message read names its author's key, and a provider lookup costs more
            sha256 = (MessageDigest) UNUSED_SHA256.clone();
        } catch (CloneNotSupportedException e) {
            sha256 = newSha256();
        }
        return new PeerId(sha256.digest(publicKey));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** A peer ID from its 32 raw bytes. */
    public static PeerId fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a peer ID has " + LENGTH + " bytes, not " + bytes.length);
        }
        return new PeerId(bytes.clone());
    }

    /** Parses the printed form; case-insensitive. */
    public static PeerId parse(String text) {
        String s = text.trim().toLowerCase();
        if (s.length() != TEXT_LENGTH) {
            throw new IllegalArgumentException("a peer ID has " + TEXT_LENGTH + " characters, not " + s.length() + ": " + text);
        }
        byte[] out = new byte[LENGTH];
        long buffer = 0;
        int bits = 0;
        int index = 0;
        for (int i = 0; i < s.length(); i++) {
            int value = ALPHABET.indexOf(s.charAt(i));
            if (value < 0) {
                throw new IllegalArgumentException("not a base32 character '" + s.charAt(i) + "' in peer ID " + text);
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                if (index < LENGTH) {
                    out[index++] = (byte) (buffer >> bits);
                }
            }
        }
        PeerId id = new PeerId(out);
        if (!id.toString().equals(s)) {
            throw new IllegalArgumentException("not a canonical peer ID: " + text);
        }
        return id;
    }

    private static String encode(byte[] data) {
        StringBuilder sb = new StringBuilder(TEXT_LENGTH);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                sb.append(ALPHABET.charAt((buffer >> bits) & 31));
            }
        }
        if (bits > 0) {
            sb.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    /** A copy of the 32 raw bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The first characters of the printed form, for display. */
    public String shortText() {
        return toString().substring(0, 8);
    }

    @Override
    public int compareTo(PeerId other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        // The hashes first: members are looked up among the others on every message.
        return o instanceof PeerId other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        if (text == null) {
            text = encode(bytes);
        }
        return text;
    }
}
