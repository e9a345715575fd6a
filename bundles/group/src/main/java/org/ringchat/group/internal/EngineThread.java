package org.ringchat.group.internal;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.ringchat.api.RingchatException;

/** The {@link EngineLoop} of a running node: one daemon thread, the wall clock. */
public final class EngineThread implements EngineLoop {

    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;
    private volatile Runnable afterEachTask = () -> { };

    public EngineThread(String name, Clock clock) {
        this.clock = clock;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        }) {
            @Override
            protected void afterExecute(Runnable task, Throwable error) {
                afterEachTask.run();
            }
        };
        // Most timers (a hand-off's acknowledgement, a part's completion) are cancelled long before they are
        // due; left in the queue, thousands of them would slow every task's turn.
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nowMillis() {
        return clock.millis();
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        try {
            ScheduledFuture<?> future = executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> { };
        }
    }

    @Override
    public void execute(Runnable task, Runnable ifClosed) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            ifClosed.run();
        }
    }

    @Override
    public <T> T call(Callable<T> task) {
        if (Thread.currentThread() == thread) {
            return EngineLoop.callHere(task);
        }
        try {
            return executor.submit(task).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new RingchatException(String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingchatException("interrupted");
        } catch (RejectedExecutionException e) {
            throw new RingchatException("the node is shutting down");
        }
    }

    @Override
    public boolean hasReadyTask() {
        Runnable next = executor.getQueue().peek();
        return next != null && (!(next instanceof RunnableScheduledFuture<?> timed)
                || timed.getDelay(TimeUnit.NANOSECONDS) <= 0);
    }

    @Override
    public void afterEachTask(Runnable hook) {
        afterEachTask = hook;
    }

    /**
     * Lets the task under way and those already queued finish, timers aside, before the thread ends: an
     * interrupt would close the message log's file channel in the middle of a commit, and a dropped task
     * would leave its caller waiting. Only a loop that does not finish in time is interrupted.
     */
    @Override
    public void close() {
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
