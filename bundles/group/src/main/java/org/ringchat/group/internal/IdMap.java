package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.ringchat.api.MessageId;

/**
 * Message ID to a value, for the tables every message passes through (a group's graph, the messages a node
 * remembers): open addressing, each ID's two halves kept in one long array, so finding an ID, or finding that
 * it is not there, reads one run of memory, where a {@code HashMap} reads its table, a node and the key, each
 * somewhere else; and no object per entry. Removal moves the entries after it back (no markers left).
 *
 * <p>The ID 0 (both halves zero) marks an empty slot; an entry for that ID is kept beside the slots.
 */
final class IdMap<V> {

    private static final int MIN_CAPACITY = 16;

    /** Slot i: ID high at 2i, ID low at 2i + 1; both zero when empty. */
    private long[] keys;
    private Object[] values;
    private int mask;
    private int size;
    private Object zeroValue;
    /** IDs come from peers: a seed of this table's own, so that chosen IDs cannot pile up in one run of slots. */
    private final long seed = ThreadLocalRandom.current().nextLong();

    IdMap() {
        allocate(MIN_CAPACITY);
    }

    int size() {
        return size + (zeroValue == null ? 0 : 1);
    }

    boolean isEmpty() {
        return size() == 0;
    }

    boolean containsKey(MessageId id) {
        return get(id) != null;
    }

    @SuppressWarnings("unchecked")
    V get(MessageId id) {
        long h = id.mostSignificantBits();
        long l = id.leastSignificantBits();
        if (h == 0 && l == 0) {
            return (V) zeroValue;
        }
        int at = find(h, l);
        return at < 0 ? null : (V) values[at];
    }

    /** Maps the ID to the value; returns the value it had, or null. */
    V put(MessageId id, V value) {
        return put(id, value, true);
    }

    /** Maps the ID to the value unless it has one; returns the value it had, or null. */
    V putIfAbsent(MessageId id, V value) {
        return put(id, value, false);
    }

    @SuppressWarnings("unchecked")
    private V put(MessageId id, V value, boolean replace) {
        if (value == null) {
            throw new NullPointerException("value");
        }
        long h = id.mostSignificantBits();
        long l = id.leastSignificantBits();
        if (h == 0 && l == 0) {
            V had = (V) zeroValue;
            if (had == null || replace) {
                zeroValue = value;
            }
            return had;
        }
        int at = home(h, l);
        for (; keys[2 * at] != 0 || keys[2 * at + 1] != 0; at = (at + 1) & mask) {
            if (keys[2 * at] == h && keys[2 * at + 1] == l) {
                V had = (V) values[at];
                if (replace) {
                    values[at] = value;
                }
                return had;
            }
        }
        keys[2 * at] = h;
        keys[2 * at + 1] = l;
        values[at] = value;
        if (++size * 4L > (mask + 1) * 3L) {
            grow();
        }
        return null;
    }

    /** Takes the ID out; returns the value it had, or null. */
    @SuppressWarnings("unchecked")
    V remove(MessageId id) {
        long h = id.mostSignificantBits();
        long l = id.leastSignificantBits();
        if (h == 0 && l == 0) {
            V had = (V) zeroValue;
            zeroValue = null;
            return had;
        }
        int at = find(h, l);
        if (at < 0) {
            return null;
        }
        V had = (V) values[at];
        size--;
        closeGap(at);
        return had;
    }

    void clear() {
        allocate(MIN_CAPACITY);
        size = 0;
        zeroValue = null;
    }

    /** The values, in no particular order. */
    List<V> values() {
        List<V> all = new ArrayList<>(size());
        forEachValue(all::add);
        return all;
    }

    @SuppressWarnings("unchecked")
    void forEachValue(Consumer<? super V> action) {
        if (zeroValue != null) {
            action.accept((V) zeroValue);
        }
        for (Object value : values) {
            if (value != null) {
                action.accept((V) value);
            }
        }
    }

    private int find(long h, long l) {
        for (int at = home(h, l); keys[2 * at] != 0 || keys[2 * at + 1] != 0; at = (at + 1) & mask) {
            if (keys[2 * at] == h && keys[2 * at + 1] == l) {
                return at;
            }
        }
        return -1;
    }

    private int home(long h, long l) {
        long mixed = (h ^ seed ^ Long.rotateLeft(l ^ seed, 29)) * 0x9E3779B97F4A7C15L;
        return (int) (mixed ^ (mixed >>> 32)) & mask;
    }

    /**
     * Empties slot {@code gap}, moving back each entry after it that could not be found past the gap (its
     * home lies at or before the gap, going round), so that every probe still reaches its entry.
     */
    private void closeGap(int gap) {
        for (int at = (gap + 1) & mask; keys[2 * at] != 0 || keys[2 * at + 1] != 0; at = (at + 1) & mask) {
            int home = home(keys[2 * at], keys[2 * at + 1]);
            boolean reachableOnlyThroughGap = gap <= at ? home <= gap || home > at : home <= gap && home > at;
            if (reachableOnlyThroughGap) {
                keys[2 * gap] = keys[2 * at];
                keys[2 * gap + 1] = keys[2 * at + 1];
                values[gap] = values[at];
                gap = at;
            }
        }
        keys[2 * gap] = 0;
        keys[2 * gap + 1] = 0;
        values[gap] = null;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate((mask + 1) * 2);
        for (int i = 0; i < oldValues.length; i++) {
            if (oldValues[i] != null) {
                int at = home(oldKeys[2 * i], oldKeys[2 * i + 1]);
                while (values[at] != null) {
                    at = (at + 1) & mask;
                }
                keys[2 * at] = oldKeys[2 * i];
                keys[2 * at + 1] = oldKeys[2 * i + 1];
                values[at] = oldValues[i];
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[2 * capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }
}
