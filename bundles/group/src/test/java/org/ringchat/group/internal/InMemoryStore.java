package org.ringchat.group.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import org.ringchat.spi.StateStore;

/** A store in memory that outlives the engines using it, to test restarts. */
final class InMemoryStore implements StateStore {

    private final Map<String, TreeMap<String, byte[]>> maps = new ConcurrentHashMap<>();
    /** How many commits were made; a test may make the next ones fail. */
    int commits;
    boolean failing;

    @Override
    public StoreMap map(String name) {
        TreeMap<String, byte[]> map = maps.computeIfAbsent(name, n -> new TreeMap<>());
        return new StoreMap() {
            @Override
            public synchronized byte[] get(String key) {
                return map.get(key);
            }

            @Override
            public synchronized void put(String key, byte[] value) {
                map.put(key, value.clone());
            }

            @Override
            public synchronized void remove(String key) {
                map.remove(key);
            }

            @Override
            public synchronized void forEach(BiConsumer<String, byte[]> visitor) {
                map.forEach(visitor);
            }

            @Override
            public synchronized int size() {
                return map.size();
            }
        };
    }

    @Override
    public void commit() {
        if (failing) {
            throw new IllegalStateException("the disk is full");
        }
        commits++; // nothing to flush: memory is the medium
    }
}
