package org.ringchat.state.log;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The identity of a {@link StateOp}: the SHA-256 hash of the bytes its author signed, printed as 64 hex
 * digits. Ordered as unsigned 256-bit numbers, which is the order that breaks ties between concurrent ops.
 */
public final class OpHash implements Comparable<OpHash> {

    /** Length of an op hash in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;
    /** Computed once: every message names its state by op hashes, which are looked up in maps. */
    private final int hash;

    private OpHash(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** An op hash from its 32 raw bytes. */
    public static OpHash fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an op hash has " + LENGTH + " bytes, not " + bytes.length);
        }
        return new OpHash(bytes.clone());
    }

    static OpHash sha256(byte[] data) {
        return new OpHash(digest(data));
    }

    static byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** A copy of the 32 raw bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The first 8 hex digits, for log lines. */
    public String shortText() {
        return toString().substring(0, 8);
    }

    @Override
    public int compareTo(OpHash other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpHash other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
