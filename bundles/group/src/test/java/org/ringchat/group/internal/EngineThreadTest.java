package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

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
}
