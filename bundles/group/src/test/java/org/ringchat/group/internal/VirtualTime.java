package org.ringchat.group.internal;

import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

import org.ringchat.api.RingchatException;

/**
 * A {@link Scheduler} on virtual time: tasks run in time order when the test advances the clock. It also
 * gives each engine of a test its own {@link EngineLoop} ({@link #loop}), all on this one clock and queue,
 * so that whole nodes run deterministically on the test's thread.
 */
final class VirtualTime implements Scheduler {

    /** How much virtual time {@link #until} and {@link #join} let pass before they give up. */
    static final long PATIENCE_MILLIS = 120_000;

    private record Task(long at, long seq, Lane lane, Runnable run, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((x, y) -> x.at != y.at
            ? Long.compare(x.at, y.at) : Long.compare(x.seq, y.seq));
    private long now;
    private long seq;
    /** Whether a task is running: a call from inside one runs directly. */
    private boolean running;

    @Override
    public long nowMillis() {
        return now;
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        return add(null, delayMillis, task);
    }

    private Timer add(Lane lane, long delayMillis, Runnable task) {
        boolean[] cancelled = {false};
        queue.add(new Task(now + Math.max(0, delayMillis), seq++, lane, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs every task due up to {@code millis} from now, in order, and moves the clock there. */
    void advance(long millis) {
        long until = now + millis;
        while (!queue.isEmpty() && queue.peek().at <= until) {
            runNext();
        }
        now = until;
    }

    /** Runs tasks, moving the clock on as needed, until the condition holds; fails after {@link #PATIENCE_MILLIS}. */
    void until(BooleanSupplier condition) {
        long deadline = now + PATIENCE_MILLIS;
        while (!condition.getAsBoolean()) {
            if (queue.isEmpty() || queue.peek().at > deadline) {
                throw new AssertionError("condition still false after " + PATIENCE_MILLIS + " ms of virtual time");
            }
            runNext();
        }
    }

    /** Runs tasks until the stage completes, and returns its result as {@link CompletableFuture#join} does. */
    <T> T join(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        until(future::isDone);
        return future.join();
    }

    /** An engine loop on this clock; its tasks share the one queue with every other loop's. */
    EngineLoop loop() {
        return new Lane();
    }

    private void runNext() {
        Task task = queue.poll();
        now = Math.max(now, task.at);
        if (task.cancelled[0] || (task.lane != null && task.lane.closed)) {
            return;
        }
        boolean outer = running;
        running = true;
        try {
            task.run.run();
            if (task.lane != null) {
                task.lane.afterEachTask.run();
            }
        } finally {
            running = outer;
        }
    }

    /** One engine's loop: its tasks and timers in the shared queue, its own hook after each of its tasks. */
    private final class Lane implements EngineLoop {

        Runnable afterEachTask = () -> { };
        boolean closed;

        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public Timer schedule(long delayMillis, Runnable task) {
            return closed ? () -> { } : add(this, delayMillis, task);
        }

        @Override
        public void execute(Runnable task, Runnable ifClosed) {
            if (closed) {
                ifClosed.run();
            } else {
                add(this, 0, task);
            }
        }

        @Override
        public <T> T call(Callable<T> task) {
            if (closed) {
                throw new RingchatException("the node is shutting down");
            }
            if (running) {
                return EngineLoop.callHere(task);
            }
            CompletableFuture<T> result = new CompletableFuture<>();
            add(this, 0, () -> {
                try {
                    result.complete(EngineLoop.callHere(task));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
            until(result::isDone);
            try {
                return result.join();
            } catch (CompletionException e) {
                throw (RuntimeException) e.getCause();
            }
        }

        @Override
        public boolean hasReadyTask() {
            return queue.stream().anyMatch(t -> t.lane == this && t.at <= now && !t.cancelled[0]);
        }

        @Override
        public void afterEachTask(Runnable hook) {
            afterEachTask = hook;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
