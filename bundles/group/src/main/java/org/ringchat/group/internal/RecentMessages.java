package org.ringchat.group.internal;

import java.util.function.Supplier;

import org.ringchat.api.MessageId;
import org.ringchat.wire.IdIndex;

/**
 * A value for each of the latest so many messages: when one more comes, the one that came first makes way.
 * Every frame that names a recent message finds it here: an {@link IdIndex} gives its place in a ring of
 * arrivals, which holds the IDs and the values in the order they came.
 */
final class RecentMessages<V> {

    private final IdIndex places = new IdIndex();
    private final MessageId[] ids;
    private final Object[] values;
    private int next;

    RecentMessages(int capacity) {
        ids = new MessageId[capacity];
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
            if (ids[next] != null) {
                places.remove(ids[next].mostSignificantBits(), ids[next].leastSignificantBits());
            }
            ids[next] = id;
            values[next] = value;
            places.put(id.mostSignificantBits(), id.leastSignificantBits(), next);
            next = (next + 1) % ids.length;
        }
        return value;
    }

    int size() {
        return places.size();
    }
}
