package org.ringchat.wire;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A 128-bit ID (a message ID, given as its two halves) to a place (a number: where its owner keeps what it
 * knows of the message, in an array of its own, or where the message log holds it), for the tables every
 * message passes through: a group's graph, the messages a node remembers, the log's index. It lives with the
 * wire codec because that is the code the group and state bundles both copy in. An ID is given as its high
 * and low halves ({@code h}, {@code l}; {@code MessageId.mostSignificantBits} and {@code leastSignificantBits}). Open
 * addressing in one long array of three longs a slot, the ID's two halves and the place, so finding an ID,
 * or finding that it is not there, reads one run of memory, where a {@code HashMap} reads its table, a node
 * and the key, each somewhere else. And it holds no references: storing one into a long-lived table is work
 * for the garbage collector each time, where an owner's array filled in order marks far fewer cards.
 * Removal moves the entries after it back (no markers left).
 */
public final class IdIndex {

    /** What {@link #get} and the others return for an ID not here. */
    public static final long NONE = -1;
    private static final int MIN_CAPACITY = 16;
    private static final int SLOT = 3;

    /** Slot i: ID high at 3i, ID low at 3i + 1, place + 1 at 3i + 2 (0 when the slot is empty). */
    private long[] slots;
    private int mask;
    private int size;
    /** IDs come from peers: a seed of this table's own, so that chosen IDs cannot pile up in one run of slots. */
    private final long seed = ThreadLocalRandom.current().nextLong();

    public IdIndex() {
        allocate(MIN_CAPACITY);
    }

    public int size() {
        return size;
    }

    public boolean contains(long h, long l) {
        return get(h, l) != NONE;
    }

    /** The ID's place, or {@link #NONE}. */
    public long get(long h, long l) {
        for (int at = home(h, l); slots[at + 2] != 0; at = next(at)) {
            if (slots[at] == h && slots[at + 1] == l) {
                return slots[at + 2] - 1;
            }
        }
        return NONE;
    }

    /** Gives the ID a place (0 or more); returns the place it had, or {@link #NONE}. */
    public long put(long h, long l, long place) {
        return put(h, l, place, true);
    }

    /** Gives the ID a place unless it has one; returns the place it had, or {@link #NONE}. */
    public long putIfAbsent(long h, long l, long place) {
        return put(h, l, place, false);
    }

    private long put(long h, long l, long place, boolean replace) {
        if (place < 0 || place == Long.MAX_VALUE) {
            throw new IllegalArgumentException("place " + place);
        }
        int at = home(h, l);
        for (; slots[at + 2] != 0; at = next(at)) {
            if (slots[at] == h && slots[at + 1] == l) {
                long had = slots[at + 2] - 1;
                if (replace) {
                    slots[at + 2] = place + 1;
                }
                return had;
            }
        }
        slots[at] = h;
        slots[at + 1] = l;
        slots[at + 2] = place + 1;
        if (++size * 4L > (mask + 1) * 3L) {
            grow();
        }
        return NONE;
    }

    /** Takes the ID out; returns the place it had, or {@link #NONE}. */
    public long remove(long h, long l) {
        for (int at = home(h, l); slots[at + 2] != 0; at = next(at)) {
            if (slots[at] == h && slots[at + 1] == l) {
                long had = slots[at + 2] - 1;
                size--;
                closeGap(at);
                return had;
            }
        }
        return NONE;
    }

    public void clear() {
        allocate(MIN_CAPACITY);
        size = 0;
    }

    /** The index in {@link #slots} of the slot where a probe for the ID starts. */
    private int home(long h, long l) {
        long mixed = (h ^ seed ^ Long.rotateLeft(l ^ seed, 29)) * 0x9E3779B97F4A7C15L;
        return ((int) (mixed ^ (mixed >>> 32)) & mask) * SLOT;
    }

    private int next(int at) {
        at += SLOT;
        return at == slots.length ? 0 : at;
    }

    /**
     * Empties the slot at {@code gap}, moving back each entry after it that could not be found past the gap
     * (its home lies at or before the gap, going round), so that every probe still reaches its entry.
     */
    private void closeGap(int gap) {
        for (int at = next(gap); slots[at + 2] != 0; at = next(at)) {
            int home = home(slots[at], slots[at + 1]);
            boolean reachableOnlyThroughGap = gap <= at ? home <= gap || home > at : home <= gap && home > at;
            if (reachableOnlyThroughGap) {
                System.arraycopy(slots, at, slots, gap, SLOT);
                gap = at;
            }
        }
        slots[gap] = 0;
        slots[gap + 1] = 0;
        slots[gap + 2] = 0;
    }

    private void grow() {
        long[] old = slots;
        allocate((mask + 1) * 2);
        for (int from = 0; from < old.length; from += SLOT) {
            if (old[from + 2] != 0) {
                int at = home(old[from], old[from + 1]);
                while (slots[at + 2] != 0) {
                    at = next(at);
                }
                System.arraycopy(old, from, slots, at, SLOT);
            }
        }
    }

    private void allocate(int capacity) {
        slots = new long[capacity * SLOT];
        mask = capacity - 1;
    }
}
