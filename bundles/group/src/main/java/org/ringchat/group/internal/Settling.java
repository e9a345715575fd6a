package org.ringchat.group.internal;

/**
 * Runs an action once changes have stopped coming for a quiet period, or at the latest a longest wait
 * after the first change it has not yet acted on, so that a stream of changes that never pauses is still
 * acted on now and then. A burst of changes costs one action instead of one each.
 *
 * <p>Not thread-safe: runs on the protocol thread, like everything the {@link Scheduler} runs.
 */
final class Settling {

    private final Scheduler scheduler;
    private final long quietMillis;
    private final long longestWaitMillis;
    private final Runnable action;
    private long lastChange;
    private long firstChange;
    private Scheduler.Timer timer;

    Settling(Scheduler scheduler, long quietMillis, long longestWaitMillis, Runnable action) {
        this.scheduler = scheduler;
        this.quietMillis = quietMillis;
        this.longestWaitMillis = longestWaitMillis;
        this.action = action;
    }

    /** Something changed: act once it has settled. */
    void changed() {
        lastChange = scheduler.nowMillis();
        if (timer == null) {
            firstChange = lastChange;
            timer = scheduler.schedule(quietMillis, this::actIfSettled);
        }
    }

    private void actIfSettled() {
        long now = scheduler.nowMillis();
        long quietFor = now - lastChange;
        long waitedFor = now - firstChange;
        if (quietFor < quietMillis && waitedFor < longestWaitMillis) {
            long next = Math.min(quietMillis - quietFor, longestWaitMillis - waitedFor);
            timer = scheduler.schedule(next, this::actIfSettled);
            return;
        }
        timer = null;
        action.run();
    }
}
