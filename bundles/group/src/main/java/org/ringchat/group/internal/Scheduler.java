package org.ringchat.group.internal;

/**
 * Time and timers of the protocol: the engine thread in a node, virtual time in the simulator. Tasks
 * run on the protocol's one thread, never concurrently with each other.
 */
public interface Scheduler {

    long nowMillis();

    /** Runs {@code task} after {@code delayMillis}, unless cancelled first. */
    Timer schedule(long delayMillis, Runnable task);

    /** A scheduled task. */
    @FunctionalInterface
    interface Timer {
        /** Stops the task from running if it has not run yet; harmless otherwise. */
        void cancel();
    }
}
