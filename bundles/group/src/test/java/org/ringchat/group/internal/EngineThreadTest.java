package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.ringchat.api.RingchatException;

class EngineThreadTest {

    @Test
    void closingLetsTheTaskUnderWayAndTheQueuedOnesFinishUninterruptedButDropsTimers() throws InterruptedException {
        EngineThread loop = new EngineThread("engine-test", Clock.systemUTC());
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean queuedRan = new AtomicBoolean();
        AtomicBoolean timerRan = new AtomicBoolean();
        AtomicInteger commits = new AtomicInteger();
        loop.afterEachTask(commits::incrementAndGet);
        loop.execute(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        }, () -> { });
        loop.execute(() -> queuedRan.set(true), () -> { });
        loop.schedule(60_000, () -> timerRan.set(true));
        started.await();

        Thread closer = new Thread(loop::close);
        closer.start();
        AtomicBoolean closed = new AtomicBoolean();
        while (!closed.get()) { // close() has begun once the loop turns new tasks away
            loop.execute(() -> { }, () -> closed.set(true));
            Thread.onSpinWait();
        }
        release.countDown();
        closer.join();

        assertFalse(interrupted.get(), "the task under way (a commit, say) is not interrupted");
        assertTrue(queuedRan.get(), "a queued task (a caller waits for it) still runs");
        assertFalse(timerRan.get(), "a timer not yet due is dropped");
        assertTrue(commits.get() >= 2, "each task is followed by its commit: " + commits.get());
        assertEquals(Thread.State.TERMINATED, closer.getState());
    }

    @Test
    void tasksFromAnotherThreadRunInTheOrderGivenAndTimersInTheOrderDue() throws InterruptedException {
        EngineThread loop = new EngineThread("engine-test", Clock.systemUTC());
        List<Integer> tasks = new ArrayList<>(); // touched on the loop only
        for (int i = 0; i < 10_000; i++) {
            int n = i;
            loop.execute(() -> tasks.add(n), () -> { });
        }
        List<String> timers = new CopyOnWriteArrayList<>();
        CountDownLatch allDue = new CountDownLatch(3);
        loop.call(() -> { // the protocol sets its timers on the loop
            loop.schedule(60, () -> { timers.add("third"); allDue.countDown(); });
            loop.schedule(20, () -> { timers.add("first"); allDue.countDown(); });
            loop.schedule(40, () -> { timers.add("second"); allDue.countDown(); });
            return null;
        });
        assertTrue(allDue.await(10, TimeUnit.SECONDS));
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            expected.add(i);
        }
        assertEquals(expected, loop.call(() -> List.copyOf(tasks)));
        assertEquals(List.of("first", "second", "third"), timers);
        loop.close();
    }

    @Test
    void aTimerCancelledFromEitherThreadDoesNotRun() throws InterruptedException {
        EngineThread loop = new EngineThread("engine-test", Clock.systemUTC());
        AtomicBoolean cancelledRan = new AtomicBoolean();
        Scheduler.Timer fromOutside = loop.schedule(20, () -> cancelledRan.set(true));
        fromOutside.cancel();
        loop.call(() -> {
            loop.schedule(20, () -> cancelledRan.set(true)).cancel();
            return null;
        });
        CountDownLatch later = new CountDownLatch(1);
        loop.schedule(60, later::countDown);
        assertTrue(later.await(10, TimeUnit.SECONDS));
        assertFalse(cancelledRan.get());
        loop.close();
    }

    /** A loop that always has a task ready still runs its timers: a timeout must fire under load. */
    @Test
    void timersStillRunWhileTasksKeepComing() throws InterruptedException {
        EngineThread loop = new EngineThread("engine-test", Clock.systemUTC());
        AtomicBoolean busy = new AtomicBoolean(true);
        Runnable[] again = new Runnable[1];
        again[0] = () -> {
            if (busy.get()) {
                loop.execute(again[0], () -> { });
            }
        };
        loop.execute(again[0], () -> { });
        CountDownLatch fired = new CountDownLatch(1);
        loop.schedule(10, fired::countDown);
        assertTrue(fired.await(10, TimeUnit.SECONDS), "the timer fired while the queue never emptied");
        busy.set(false);
        loop.close();
    }

    @Test
    void callGivesTheResultOrTheTasksExceptionAndAFailedTaskLeavesTheLoopRunning() {
        EngineThread loop = new EngineThread("engine-test", Clock.systemUTC());
        assertEquals(42, loop.call(() -> 42));
        loop.execute(() -> {
            throw new IllegalStateException("a bug in a task");
        }, () -> { });
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> loop.call(() -> {
            throw new IllegalArgumentException("refused");
        }));
        assertEquals("refused", thrown.getMessage());
        assertEquals("still here", loop.call(() -> loop.call(() -> "still here")), "a call on the loop runs at once");
        loop.close();
        assertThrows(RingchatException.class, () -> loop.call(() -> 1));
    }

    /** Timers keep a time of their own: a wall clock that stands still, or is set back, holds none of them. */
    @Test
    void timersFireWhateverTheWallClockSays() throws InterruptedException {
        EngineThread loop = new EngineThread("engine-test", Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
        CountDownLatch fired = new CountDownLatch(1);
        loop.schedule(20, fired::countDown);
        assertTrue(fired.await(10, TimeUnit.SECONDS));
        assertEquals(0, loop.nowMillis(), "the protocol still reads the clock it was given");
        loop.close();
    }
}
