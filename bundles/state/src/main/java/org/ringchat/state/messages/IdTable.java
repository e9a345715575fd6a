package org.ringchat.state.messages;

import java.util.concurrent.ThreadLocalRandom;

import org.ringchat.api.MessageId;

/**
 * Message ID to (group number, sequence), open addressing in one long array of three longs a slot (the
 * ID's two halves, then the value): 24 bytes a slot and no object per message, where a {@code HashMap}
 * would take about 100, and a lookup reads one run of memory, not three arrays.
 */
final class IdTable {

    static final long NONE = -1;
    private static final int SEQUENCE_BITS = 40;
    private static final int SLOT = 3;

    /** Slot i: ID high at 3i, ID low at 3i + 1, value at 3i + 2: (group number + 1) and sequence; 0 when empty. */
    private long[] slots = new long[1024 * SLOT];
    private int capacity = 1024;
    private int size;
    /** IDs come from peers: a seed of this table's own, so that chosen IDs cannot pile up in one run of slots. */
    private final long seed = ThreadLocalRandom.current().nextLong();

    void put(MessageId id, int group, long sequence) {
        if ((size + 1) * 4L > capacity * 3L) {
            grow();
        }
        if (insert(id.mostSignificantBits(), id.leastSignificantBits(), (long) (group + 1) << SEQUENCE_BITS | sequence)) {
            size++;
        }
    }

    /** The group number and sequence of a message, or {@link #NONE}. */
    long get(MessageId id) {
        long h = id.mostSignificantBits();
        long l = id.leastSignificantBits();
        for (int at = start(h, l); slots[at + 2] != 0; at = next(at)) {
            if (slots[at] == h && slots[at + 1] == l) {
                return slots[at + 2];
            }
        }
        return NONE;
    }

    static int group(long found) {
        return (int) (found >>> SEQUENCE_BITS) - 1;
    }

    static long sequence(long found) {
        return found & ((1L << SEQUENCE_BITS) - 1);
    }

    private boolean insert(long h, long l, long v) {
        int at = start(h, l);
        while (slots[at + 2] != 0) {
            if (slots[at] == h && slots[at + 1] == l) {
                slots[at + 2] = v;
                return false;
            }
            at = next(at);
        }
        slots[at] = h;
        slots[at + 1] = l;
        slots[at + 2] = v;
        return true;
    }

    /** The index in {@link #slots} of the slot where a probe for the ID starts. */
    private int start(long h, long l) {
        long mixed = (h ^ seed ^ Long.rotateLeft(l ^ seed, 29)) * 0x9E3779B97F4A7C15L;
        return ((int) (mixed ^ (mixed >>> 32)) & (capacity - 1)) * SLOT;
    }

    private int next(int at) {
        at += SLOT;
        return at == slots.length ? 0 : at;
    }

    private void grow() {
        long[] old = slots;
        capacity *= 2;
        slots = new long[capacity * SLOT];
        for (int at = 0; at < old.length; at += SLOT) {
            if (old[at + 2] != 0) {
                insert(old[at], old[at + 1], old[at + 2]);
            }
        }
    }
}
