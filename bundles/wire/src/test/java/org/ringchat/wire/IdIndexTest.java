package org.ringchat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class IdIndexTest {

    /** An ID as its two halves. */
    private record Id(long h, long l) {
    }

    private static long placeOf(Long place) {
        return place == null ? IdIndex.NONE : place;
    }

    @Test
    void holdsWhatAHashMapHoldsThroughPutsAndRemovalsInAnyOrder() {
        Random random = new Random(11);
        // Few IDs, many operations: the table stays small, so runs of slots form, wrap round and are cut by removals.
        List<Id> pool = random.longs(300).mapToObj(n -> new Id(n, ~n)).toList();
        for (int round = 0; round < 50; round++) {
            IdIndex index = new IdIndex();
            Map<Id, Long> expected = new HashMap<>();
            for (long step = 0; step < 2_000; step++) {
                Id id = pool.get(random.nextInt(pool.size()));
                switch (random.nextInt(4)) {
                    case 0, 1 -> assertEquals(placeOf(expected.put(id, step)), index.put(id.h(), id.l(), step));
                    case 2 -> assertEquals(placeOf(expected.putIfAbsent(id, step)),
                            index.putIfAbsent(id.h(), id.l(), step));
                    default -> assertEquals(placeOf(expected.remove(id)), index.remove(id.h(), id.l()));
                }
                assertEquals(expected.size(), index.size());
            }
            for (Id id : pool) {
                assertEquals(placeOf(expected.get(id)), index.get(id.h(), id.l()), "place of " + id);
            }
        }
    }

    @Test
    void theAllZeroIdAndPlaceZeroAreLikeAnyOther() {
        IdIndex index = new IdIndex();
        assertEquals(IdIndex.NONE, index.put(0, 0, 0));
        assertTrue(index.contains(0, 0));
        assertEquals(0, index.get(0, 0));
        assertEquals(0, index.remove(0, 0));
        assertFalse(index.contains(0, 0));
    }

    @Test
    void growsPastManyEntriesAndEmptiesOnClear() {
        IdIndex index = new IdIndex();
        for (long n = 1; n <= 100_000; n++) {
            index.put(n, n * 31, n);
        }
        assertEquals(100_000, index.size());
        assertEquals(77_777L, index.get(77_777, 77_777 * 31));
        index.clear();
        assertEquals(0, index.size());
        assertFalse(index.contains(5, 155));
    }

    @Test
    void refusesANegativePlace() {
        assertThrows(IllegalArgumentException.class, () -> new IdIndex().put(1, 2, -1));
    }
}
