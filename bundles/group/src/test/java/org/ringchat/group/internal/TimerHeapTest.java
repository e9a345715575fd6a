package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class TimerHeapTest {

    @Test
    void timersComeOutEarliestFirstAndTiesInTheOrderTheyWereSet() {
        Random random = new Random(7);
        TimerHeap heap = new TimerHeap();
        List<TimerHeap.Timed> set = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            TimerHeap.Timed timed = new TimerHeap.Timed(random.nextInt(50), () -> { });
            set.add(timed);
            heap.add(timed);
        }
        List<TimerHeap.Timed> expected = new ArrayList<>(set);
        expected.sort(Comparator.comparingLong(t -> t.dueMillis)); // stable: ties stay in the order set
        for (TimerHeap.Timed next : expected) {
            assertSame(next, heap.takeDue(Long.MAX_VALUE));
        }
        assertNull(heap.takeDue(Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, heap.nextDue());
    }

    @Test
    void aTimerIsTakenOnlyWhenDue() {
        TimerHeap heap = new TimerHeap();
        TimerHeap.Timed timed = new TimerHeap.Timed(100, () -> { });
        heap.add(timed);
        assertFalse(heap.dueBy(99));
        assertNull(heap.takeDue(99));
        assertEquals(100, heap.nextDue());
        assertSame(timed, heap.takeDue(100));
    }

    /** Cancelled anywhere in the heap, at random, the rest still come out in order, and none cancelled does. */
    @Test
    void cancelledTimersNeverComeOutAndTheRestKeepTheirOrder() {
        Random random = new Random(11);
        for (int round = 0; round < 50; round++) {
            TimerHeap heap = new TimerHeap();
            List<TimerHeap.Timed> kept = new ArrayList<>();
            List<TimerHeap.Timed> live = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                TimerHeap.Timed timed = new TimerHeap.Timed(random.nextInt(1000), () -> { });
                heap.add(timed);
                live.add(timed);
                if (random.nextInt(3) == 0) {
                    TimerHeap.Timed cancelled = live.remove(random.nextInt(live.size()));
                    if (random.nextBoolean()) {
                        heap.remove(cancelled); // on the loop's thread: out at once
                    } else {
                        cancelled.cancelled = true; // from another thread: only marked
                    }
                }
            }
            kept.addAll(live);
            kept.sort(Comparator.comparingLong(t -> t.dueMillis));
            long last = -1;
            int out = 0;
            for (TimerHeap.Timed next = heap.takeDue(Long.MAX_VALUE); next != null; next = heap.takeDue(Long.MAX_VALUE)) {
                assertTrue(live.contains(next), "a cancelled timer came out");
                assertTrue(next.dueMillis >= last, "earliest first");
                last = next.dueMillis;
                out++;
            }
            assertEquals(kept.size(), out, "every timer not cancelled came out");
        }
    }

    @Test
    void aTimerCancelledBeforeItIsAddedIsNeverAdded() {
        TimerHeap heap = new TimerHeap();
        TimerHeap.Timed timed = new TimerHeap.Timed(0, () -> { });
        timed.cancelled = true;
        heap.add(timed);
        assertNull(heap.takeDue(Long.MAX_VALUE));
    }
}
