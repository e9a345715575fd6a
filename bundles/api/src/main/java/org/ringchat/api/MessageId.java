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

    private MessageId(long high, long low) {
        this.high = high;
        this.low = low;
        this.hash = hashOfBytes(low, hashOfBytes(high, 1));
    }

    /** A fresh random message ID. */
    public static MessageId random(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return ofBytes(b);
    }

    public static MessageId fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a message ID has " + LENGTH + " bytes, not " + bytes.length);
        }
        return ofBytes(bytes);
    }

    /**
     * The ID of these two numbers ({@link #mostSignificantBits}, {@link #leastSignificantBits}): for tables that
     * keep IDs as numbers and hand out ID objects only when asked.
     *
     * @since 2.7
     */
    public static MessageId of(long mostSignificantBits, long leastSignificantBits) {
        return new MessageId(mostSignificantBits, leastSignificantBits);
    }

    public static MessageId parse(String text) {
        return ofBytes(Hex.parse("message ID", text, LENGTH));
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

    private static MessageId ofBytes(byte[] bytes) {
        return new MessageId(bigEndian(bytes, 0), bigEndian(bytes, 8));
    }

    private static long bigEndian(byte[] bytes, int from) {
        long bits = 0;
        for (int i = from; i < from + 8; i++) {
            bits = bits << 8 | bytes[i] & 0xFF;
        }
        return bits;
    }

    /** Goes on with {@link Arrays#hashCode(byte[])} over a number's 8 bytes, big-endian, as {@link #toBytes} has them. */
    private static int hashOfBytes(long bits, int hash) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            hash = 31 * hash + (byte) (bits >>> shift);
        }
        return hash;
    }

    @Override
    public String toString() {
        return Hex.format(toBytes());
    }
}
