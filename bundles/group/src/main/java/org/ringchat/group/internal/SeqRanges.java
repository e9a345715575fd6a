package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    /** First → last of each range; ranges never touch or overlap. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    void add(long seq) {
        Map.Entry<Long, Long> below = ranges.floorEntry(seq);
        if (below != null && below.getValue() >= seq) {
            return;
        }
        long first = seq;
        long last = seq;
        if (below != null && below.getValue() == seq - 1) {
            first = below.getKey();
        }
        Long aboveLast = ranges.remove(seq + 1);
        if (aboveLast != null) {
            last = aboveLast;
        }
        ranges.put(first, last);
        if (ranges.size() > MAX_RANGES) {
            ranges.pollFirstEntry();
        }
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    List<Range> ranges() {
        List<Range> list = new ArrayList<>(ranges.size());
        ranges.forEach((first, last) -> list.add(new Range(first, last)));
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
