package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.ringchat.api.MessageId;

class IdIndexTest {

    private static MessageId id(long high, long low) {
        return MessageId.fromBytes(ByteBuffer.allocate(MessageId.LENGTH).putLong(high).putLong(low).array());
    }

    private static long placeOf(Long place) {
        return place == null ? IdIndex.NONE : place;
    }

    @Test
    void holdsWhatAHashMapHoldsThroughPutsAndRemovalsInAnyOrder() {
        Random random = new Random(11);
        // Few IDs, many operations: the table stays small, so runs of slots form, wrap round and are cut by removals.
        List<MessageId> pool = random.longs(300).mapToObj(n -> id(n, ~n)).toList();
        for (int round = 0; round < 50; round++) {
            IdIndex index = new IdIndex();
            Map<MessageId, Long> expected = new HashMap<>();
            for (long step = 0; step < 2_000; step++) {
                MessageId id = pool.get(random.nextInt(pool.size()));
                switch (random.nextInt(4)) {
                    case 0, 1 -> assertEquals(placeOf(expected.put(id, step)), index.put(id, step));
                    case 2 -> assertEquals(placeOf(expected.putIfAbsent(id, step)), index.putIfAbsent(id, step));
                    default -> assertEquals(placeOf(expected.remove(id)), index.remove(id));
                }
                assertEquals(expected.size(), index.size());
            }
            for (MessageId id : pool) {
                assertEquals(placeOf(expected.get(id)), index.get(id), "place of " + id);
            }
        }
    }

    @Test
    void theAllZeroIdAndPlaceZeroAreLikeAnyOther() {
        IdIndex index = new IdIndex();
        MessageId zero = id(0, 0);
        assertEquals(IdIndex.NONE, index.put(zero, 0));
        assertTrue(index.contains(zero));
        assertEquals(0, index.get(zero));
        assertEquals(0, index.remove(zero));
        assertFalse(index.contains(zero));
    }

    @Test
    void growsPastManyEntriesAndEmptiesOnClear() {
        IdIndex index = new IdIndex();
        for (long n = 1; n <= 100_000; n++) {
            index.put(id(n, n * 31), n);
        }
        assertEquals(100_000, index.size());
        assertEquals(77_777L, index.get(id(77_777, 77_777 * 31)));
        index.clear();
        assertEquals(0, index.size());
        assertFalse(index.contains(id(5, 155)));
    }

    @Test
    void refusesANegativePlace() {
        assertThrows(IllegalArgumentException.class, () -> new IdIndex().put(id(1, 2), -1));
    }
}
