package org.ringchat.group.internal;

import java.util.function.Supplier;

import org.ringchat.api.MessageId;

/**
 * A value for each of the latest so many messages: when one more comes, the one that came first makes way.
 * Every frame that names a recent message finds it here, so lookups go through an {@link IdMap}, and the
 * order of arrival is a ring of IDs, not a linked list through the entries.
 */
final class RecentMessages<V> {

    private final IdMap<V> byId = new IdMap<>();
    private final MessageId[] arrived;
    private int next;

    RecentMessages(int capacity) {
        arrived = new MessageId[capacity];
    }

    V get(MessageId id) {
        return byId.get(id);
    }

    /** The message's value, made now if it has none, which may push the one that came first out. */
    V getOrAdd(MessageId id, Supplier<V> made) {
        V value = byId.get(id);
        if (value == null) {
            value = made.get();
            MessageId first = arrived[next];
            if (first != null) {
                byId.remove(first);
            }
            byId.put(id, value);
            arrived[next] = id;
            next = (next + 1) % arrived.length;
        }
        return value;
    }

    int size() {
        return byId.size();
    }
}
