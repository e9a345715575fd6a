package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.ringchat.api.MessageId;

class IdMapTest {

    private static MessageId id(long high, long low) {
        return MessageId.fromBytes(ByteBuffer.allocate(MessageId.LENGTH).putLong(high).putLong(low).array());
    }

    @Test
    void holdsWhatAHashMapHoldsThroughPutsAndRemovalsInAnyOrder() {
        Random random = new Random(11);
        // Few IDs, many operations: the table stays small, so runs of slots form, wrap round and are cut by removals.
        List<MessageId> pool = random.longs(300).mapToObj(n -> id(n, ~n)).toList();
        for (int round = 0; round < 50; round++) {
            IdMap<Integer> map = new IdMap<>();
            Map<MessageId, Integer> expected = new HashMap<>();
            for (int step = 0; step < 2_000; step++) {
                MessageId id = pool.get(random.nextInt(pool.size()));
                switch (random.nextInt(4)) {
                    case 0, 1 -> assertEquals(expected.put(id, step), map.put(id, step));
                    case 2 -> assertEquals(expected.putIfAbsent(id, step), map.putIfAbsent(id, step));
                    default -> assertEquals(expected.remove(id), map.remove(id));
                }
                assertEquals(expected.size(), map.size());
            }
            for (MessageId id : pool) {
                assertEquals(expected.get(id), map.get(id), "value of " + id);
            }
            assertEquals(new HashSet<>(expected.values()), new HashSet<>(map.values()));
        }
    }

    @Test
    void keepsTheAllZeroIdLikeAnyOther() {
        IdMap<String> map = new IdMap<>();
        MessageId zero = id(0, 0);
        assertNull(map.put(zero, "zero"));
        map.put(id(0, 1), "one");
        assertEquals("zero", map.get(zero));
        assertEquals(2, map.size());
        assertEquals("zero", map.putIfAbsent(zero, "again"));
        assertEquals("zero", map.remove(zero));
        assertNull(map.get(zero));
        assertEquals("one", map.get(id(0, 1)));
        assertEquals(List.of("one"), map.values());
    }

    @Test
    void growsPastManyEntriesAndEmptiesOnClear() {
        IdMap<Long> map = new IdMap<>();
        for (long n = 1; n <= 100_000; n++) {
            map.put(id(n, n * 31), n);
        }
        assertEquals(100_000, map.size());
        assertEquals(77_777L, map.get(id(77_777, 77_777 * 31)));
        map.clear();
        assertEquals(0, map.size());
        assertNull(map.get(id(5, 155)));
    }

    @Test
    void refusesNullValues() {
        assertThrows(NullPointerException.class, () -> new IdMap<String>().put(id(1, 2), null));
    }
}
