package org.ringchat.api;

import java.security.SecureRandom;
import java.util.Arrays;

/** A message's random 128-bit identifier, printed as 32 hex digits. */
public final class MessageId {

    /** Length of a message ID in bytes. */
    public static final int LENGTH = 16;

    private final byte[] bytes;
    private final String text;
    /** IDs are map keys everywhere in the engine: hashed once. */
    private final int hash;

    private MessageId(byte[] bytes) {
        this.bytes = bytes;
        this.text = Hex.format(bytes);
        this.hash = Arrays.hashCode(bytes);
    }

    /** A fresh random message ID. */
    public static MessageId random(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new MessageId(b);
    }

    public static MessageId fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a message ID has " + LENGTH + " bytes, not " + bytes.length);
        }
        return new MessageId(bytes.clone());
    }

    public static MessageId parse(String text) {
        return new MessageId(Hex.parse("message ID", text, LENGTH));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageId other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return text;
    }
}
