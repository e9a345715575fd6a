package org.ringchat.group.internal;

import java.util.function.Supplier;

import org.ringchat.api.MessageId;
import org.ringchat.wire.IdIndex;

/**
 * A value for each of the latest so many messages: when one more comes, the one that came first makes way.
 * An {@link IdIndex} gives a message's place in a ring of arrivals, which holds the IDs and the values in the
 * order they came. The ring keeps each ID as its two
 * halves, so that making way reads the oldest from arrays walked in order, not from an object that old.
 */
final class RecentMessages<V> {

    private final IdIndex places = new IdIndex();
    private final long[] highs;
    private final long[] lows;
    private final Object[] values;
    private int next;

    RecentMessages(int capacity) {
        highs = new long[capacity];
        lows = new long[capacity];
        values = new Object[capacity];
    }

    @SuppressWarnings("unchecked")
    V get(MessageId id) {
        long place = places.get(id.mostSignificantBits(), id.leastSignificantBits());
        return place == IdIndex.NONE ? null : (V) values[(int) place];
    }

    /** The message's value, made now if it has none, which may push the one that came first out. */
    V getOrAdd(MessageId id, Supplier<V> made) {
        V value = get(id);
        if (value == null) {
            value = made.get();
            add(id, value);
        }
        return value;
    }

    /** Adds a message this holds no value for, which may push the one that came first out. */
    void add(MessageId id, V value) {
        if (values[next] != null) {
            places.remove(highs[next], lows[next]);
        }
        highs[next] = id.mostSignificantBits();
        lows[next] = id.leastSignificantBits();
        values[next] = value;
        places.put(highs[next], lows[next], next);
        next = (next + 1) % values.length;
    }

    int size() {
        return places.size();
    }
}
