package org.ringchat.group.internal;

import java.util.concurrent.Callable;

import org.ringchat.api.RingchatException;

/**
 * Where the engine's roles run: one task at a time, in order, on the protocol's one clock and timers.
 * Everything the roles hold is confined to it, so none of them needs a lock. A node runs it on a
 * thread of its own ({@link EngineThread}); tests run it on virtual time.
 */
public interface EngineLoop extends Scheduler {

    /** Runs a task later, after those already waiting; {@code ifClosed} runs instead once the loop has stopped. */
    void execute(Runnable task, Runnable ifClosed);

    /**
     * Runs a task on the loop and returns its result, directly when already on it. A task's
     * {@link RuntimeException} is thrown here as it is; once the loop has stopped, a
     * {@link org.ringchat.api.RingchatException} says so.
     */
    <T> T call(Callable<T> task);

    /** Whether another task is ready to run now: a busy loop lets work of several tasks share one commit. */
    boolean hasReadyTask();

    /** Sets what runs after each task (the commit turn). */
    void afterEachTask(Runnable hook);

    /** Runs a task here and now, for a loop already on its thread: checked exceptions become {@link RingchatException}. */
    static <T> T callHere(Callable<T> task) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RingchatException(String.valueOf(e), e);
        }
    }

    /** Stops the loop: tasks not yet run are dropped, later ones run their {@code ifClosed}. */
    void close();
}
