package org.ringchat.state.messages;

import java.util.Arrays;

/**
 * Where a group's messages are, by sequence: two locations a message (16 bytes), no objects. A location
 * of 0 means none (offset 0 of a segment is its file header): a sequence that was never written, or
 * whose record is damaged.
 */
final class GroupIndex {

    final int number;
    private long[] messageAt = new long[16];
    private long[] statusAt = new long[16];
    /** One more than the highest sequence seen. */
    private long next;

    GroupIndex(int number) {
        this.number = number;
    }

    long next() {
        return next;
    }

    void putMessage(long sequence, long location) {
        int at = slot(sequence);
        messageAt[at] = location;
        statusAt[at] = 0;
    }

    void putStatus(long sequence, long location) {
        statusAt[slot(sequence)] = location;
    }

    /** Takes a sequence that a damaged record held, whose message is unknown. */
    void reserve(long sequence) {
        slot(sequence);
    }

    void forget(long sequence) {
        if (sequence < next) {
            messageAt[(int) sequence] = 0;
            statusAt[(int) sequence] = 0;
        }
    }

    long messageAt(long sequence) {
        return sequence >= 0 && sequence < next ? messageAt[(int) sequence] : 0;
    }

    long statusAt(long sequence) {
        return sequence >= 0 && sequence < next ? statusAt[(int) sequence] : 0;
    }

    private int slot(long sequence) {
        if (sequence >= Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a group holds at most " + (Integer.MAX_VALUE - 8) + " messages");
        }
        int at = (int) sequence;
        if (at >= messageAt.length) {
            int length = Math.max(at + 1, messageAt.length + (messageAt.length >> 1));
            messageAt = Arrays.copyOf(messageAt, length);
            statusAt = Arrays.copyOf(statusAt, length);
        }
        next = Math.max(next, sequence + 1);
        return at;
    }
}
