package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.ERROR;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.ringchat.api.RingchatException;

/**
 * The {@link EngineLoop} of a running node: one daemon thread, the wall clock. Other threads hand it tasks
 * through a queue without locks, and wake it only when it sleeps; its timers are its own, in a heap that only
 * it touches. A {@code ScheduledThreadPoolExecutor} took a lock and sorted a heap for every task on the way of
 * every frame (3.6 % more CPU per broadcast, docs/BENCHMARKS.md, session 23), and kept a failed task's exception
 * in a future nobody read: this loop logs it and goes on.
 */
public final class EngineThread implements EngineLoop {

    private static final System.Logger LOG = System.getLogger(EngineThread.class.getName());
    private static final long CLOSE_WAIT_MILLIS = 5000;

    private final Clock clock;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Task> ready = new ConcurrentLinkedQueue<>();
    /** Only the loop's thread touches them; a timer set elsewhere comes through {@link #ready}. */
    private final TimerHeap timers = new TimerHeap();
    /** Whether the thread sleeps, or is about to: only then does a new task wake it. */
    private volatile boolean sleeping;
    /** Set by {@link #close}: new tasks are turned away, those queued still run, timers do not. */
    private volatile boolean closing;
    /** Set by {@link #close} when the loop did not finish in time: what is still queued is turned away. */
    private volatile boolean abandoned;
    /** Set by the thread as it ends: a task queued after that is turned away by whoever queued it. */
    private volatile boolean ended;
    private volatile Runnable afterEachTask = () -> { };

    public EngineThread(String name, Clock clock) {
        this.clock = clock;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public long nowMillis() {
        return clock.millis();
    }

    /**
     * A timer set on the loop, as the protocol sets them, joins the heap at once; one set from another thread
     * joins it when the loop takes it in, after the tasks queued before it.
     */
    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        TimerHeap.Timed timed = new TimerHeap.Timed(monotonicMillis() + Math.max(0, delayMillis), task);
        if (Thread.currentThread() == thread) {
            timers.add(timed);
        } else {
            execute(() -> timers.add(timed), () -> { });
        }
        return () -> {
            if (Thread.currentThread() == thread) {
                timers.remove(timed);
            } else {
                timed.cancelled = true; // not run; taken out of the heap when it comes due
            }
        };
    }

    @Override
    public void execute(Runnable task, Runnable ifClosed) {
        if (closing) {
            ifClosed.run();
            return;
        }
        ready.add(new Task(task, ifClosed));
        if (ended) {
            turnAwayQueued();
        } else if (sleeping) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public <T> T call(Callable<T> task) {
        if (Thread.currentThread() == thread) {
            return EngineLoop.callHere(task);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
            }
        }, () -> result.completeExceptionally(new RingchatException("the node is shutting down")));
        try {
            return result.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new RingchatException(String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingchatException("interrupted");
        }
    }

    /** On the loop's thread, as {@link CommitTurn} asks it: a queued task, or a timer due. */
    @Override
    public boolean hasReadyTask() {
        return !ready.isEmpty() || timers.dueBy(monotonicMillis());
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
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(CLOSE_WAIT_MILLIS);
            if (thread.isAlive()) {
                abandon();
            }
        } catch (InterruptedException e) {
            abandon();
            Thread.currentThread().interrupt();
        }
    }

    private void abandon() {
        abandoned = true;
        thread.interrupt();
    }

    private void loop() {
        while (!abandoned) {
            // a timer due goes first: under load the queue is never empty, and timeouts must still fire
            TimerHeap.Timed due = closing ? null : timers.takeDue(monotonicMillis());
            Task task = due == null ? ready.poll() : null;
            if (due != null) {
                run(due.task);
            } else if (task != null) {
                run(task.task);
            } else if (closing) {
                break;
            } else {
                sleepUntilWork();
            }
        }
        ended = true;
        turnAwayQueued();
    }

    private void sleepUntilWork() {
        sleeping = true;
        // checked again once sleeping is set: a task queued before then is seen here, one after wakes the thread
        if (ready.isEmpty() && !closing) {
            long next = timers.nextDue();
            if (next == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                long wait = next - monotonicMillis();
                if (wait > 0) {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(wait));
                }
            }
        }
        sleeping = false;
    }

    /**
     * The time timers are due by: it never goes back, where the wall clock ({@link #nowMillis}, what the
     * protocol reads) may be set back, which would hold every timer until it caught up.
     */
    private static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    private void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.log(ERROR, "an engine task failed; the engine goes on", e);
        }
        afterEachTask.run();
    }

    private void turnAwayQueued() {
        for (Task task = ready.poll(); task != null; task = ready.poll()) {
            task.ifClosed.run();
        }
    }

    private record Task(Runnable task, Runnable ifClosed) {
    }
}
