package org.ringchat.api;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/** A message's random 128-bit identifier, printed as 32 hex digits. */
public final class MessageId {

    /** Length of a message ID in bytes. */
    public static final int LENGTH = 16;

    /**
     * The 16 bytes as two numbers, big-endian, and no text: a node holds an ID for every message of its
     * history, so it takes 32 bytes of heap, not 128.
     */
    private final long high;
    private final long low;
    /** IDs are map keys everywhere in the engine: hashed once. */
    private final int hash;

    private MessageId(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        this.high = buffer.getLong();
        this.low = buffer.getLong();
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
        return new MessageId(bytes);
    }

    public static MessageId parse(String text) {
        return new MessageId(Hex.parse("message ID", text, LENGTH));
    }

    /** The first 8 bytes, big-endian: with {@link #leastSignificantBits} the whole ID, for tables that keep IDs as numbers. */
    public long mostSignificantBits() {
        return high;
    }

    /** The last 8 bytes, big-endian. */
    public long leastSignificantBits() {
        return low;
    }

    public byte[] toBytes() {
        return ByteBuffer.allocate(LENGTH).putLong(high).putLong(low).array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageId other && high == other.high && low == other.low;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return Hex.format(toBytes());
    }
}
