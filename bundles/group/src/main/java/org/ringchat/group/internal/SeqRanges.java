package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Sequence numbers as ranges, as TCP's SACK blocks and JGroups' NAKACK2 keep them: a run of numbers costs one
 * range, so "everything from 1 to 5,000 but 17" is three. At most {@link #MAX_RANGES} are kept; past that the
 * lowest go, which only means that those numbers are reported no more.
 */
final class SeqRanges {

    /** The most ranges kept here, and carried in one frame. */
    static final int MAX_RANGES = 64;

    /** One range: {@code first} to {@code last}, both included. */
    record Range(long first, long last) {
        boolean contains(long seq) {
            return first <= seq && seq <= last;
        }
    }

    /**
     * The ranges in ascending order, in two arrays: every CHAT a node takes adds its number, which mostly
     * extends the last range, and a tree of boxed numbers cost an allocation and a rebalancing each time.
     * Ranges never touch or overlap.
     */
    private final long[] firsts = new long[MAX_RANGES + 1];
    private final long[] lasts = new long[MAX_RANGES + 1];
    private int count;

    void add(long seq) {
        if (count > 0 && lasts[count - 1] == seq - 1) {
            lasts[count - 1] = seq; // the next in order, as most are
            return;
        }
        int below = below(seq);
        if (below >= 0 && lasts[below] >= seq) {
            return;
        }
        boolean joinsBelow = below >= 0 && lasts[below] == seq - 1;
        boolean joinsAbove = below + 1 < count && firsts[below + 1] == seq + 1;
        if (joinsBelow && joinsAbove) {
            lasts[below] = lasts[below + 1];
            remove(below + 1);
        } else if (joinsBelow) {
            lasts[below] = seq;
        } else if (joinsAbove) {
            firsts[below + 1] = seq;
        } else {
            insert(below + 1, seq);
            if (count > MAX_RANGES) {
                remove(0);
            }
        }
    }

    /** The index of the last range that starts at or below {@code seq}; -1 if none does. */
    private int below(long seq) {
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (firsts[middle] <= seq) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return high;
    }

    private void insert(int at, long seq) {
        System.arraycopy(firsts, at, firsts, at + 1, count - at);
        System.arraycopy(lasts, at, lasts, at + 1, count - at);
        firsts[at] = seq;
        lasts[at] = seq;
        count++;
    }

    private void remove(int at) {
        System.arraycopy(firsts, at + 1, firsts, at, count - at - 1);
        System.arraycopy(lasts, at + 1, lasts, at, count - at - 1);
        count--;
    }

    boolean isEmpty() {
        return count == 0;
    }

    List<Range> ranges() {
        List<Range> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(new Range(firsts[i], lasts[i]));
        }
        return list;
    }

    /** Numbers in ascending order, as ranges, split into lists of at most {@link #MAX_RANGES}. */
    static List<List<Range>> of(List<Long> ascending) {
        List<List<Range>> lists = new ArrayList<>();
        List<Range> current = new ArrayList<>();
        int i = 0;
        while (i < ascending.size()) {
            long first = ascending.get(i);
            long last = first;
            while (++i < ascending.size() && ascending.get(i) == last + 1) {
                last++;
            }
            if (current.size() == MAX_RANGES) {
                lists.add(current);
                current = new ArrayList<>();
            }
            current.add(new Range(first, last));
        }
        if (!current.isEmpty()) {
            lists.add(current);
        }
        return lists;
    }
}
