package org.ringchat.group.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** Maps that keep at most so many entries, for what a node remembers of recent messages. */
final class Bounded {

    private Bounded() {
    }

    /** Drops the oldest entry (by insertion) once {@code capacity} is passed. */
    static <K, V> Map<K, V> oldestOut(int capacity) {
        return map(capacity, false);
    }

    /** Drops the least recently used entry once {@code capacity} is passed. */
    static <K, V> Map<K, V> leastRecentlyUsedOut(int capacity) {
        return map(capacity, true);
    }

    private static <K, V> Map<K, V> map(int capacity, boolean accessOrder) {
        return new LinkedHashMap<>(16, 0.75f, accessOrder) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }
}
