package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.ERROR;

import java.util.ArrayList;
import java.util.List;

/**
 * Group commit: what the engine stores (messages in the message log, state in the store) is committed at
 * the end of a turn, when no other task is ready or after {@value #MAX_TASKS_PER_COMMIT} tasks, so that
 * under load many messages share one commit while a lone message waits for nothing. Whatever would tell
 * anyone that something is stored (an acknowledgement, a completed send, a listener's event) waits for
 * that commit, so that nothing leaves this node that a crash could take back.
 */
final class CommitTurn {

    private static final System.Logger LOG = System.getLogger(CommitTurn.class.getName());

    /**
     * Engine tasks after which stored messages are committed even though more tasks are ready: a busy
     * engine commits once per this many tasks, so what waits for the commit is not held back for long.
     * Longer turns share a commit, a bundle to each peer and an author's signature among more messages:
     * 512 instead of 128 took 3 % less CPU per broadcast under load, and delivered no later (docs/BENCHMARKS.md,
     * session 22).
     */
    static final int MAX_TASKS_PER_COMMIT = 512;
    /** How long a changed delivery status may wait for a commit (the failure detector's timers come sooner). */
    static final long STATUS_COMMIT_DELAY_MILLIS = 1000;

    private final Runnable commitAll;
    private final EngineLoop loop;
    private final List<Runnable> beforeCommit = new ArrayList<>();
    private final List<Runnable> afterTurn = new ArrayList<>();
    private final List<Runnable> afterCommit = new ArrayList<>();
    /** Whether something waits for the end of this turn (written messages, queued frames). */
    private boolean due;
    /** Whether something was stored that must be committed before it is told. */
    private boolean uncommitted;
    /** Whether delivery statuses were stored since the last commit; they may wait a while. */
    private boolean statusChanged;
    private int tasksSinceCommit;
    private long lastCommitMillis;

    /** @param commitAll makes everything stored so far durable, returning once it is written */
    CommitTurn(Runnable commitAll, EngineLoop loop) {
        this.commitAll = commitAll;
        this.loop = loop;
        loop.afterEachTask(this::endOfTask);
    }

    /** Adds a step that runs at the end of a turn, before the commit (in the order added). */
    void beforeCommit(Runnable step) {
        beforeCommit.add(step);
    }

    /** Adds a step that runs at the end of a turn, after the commit. */
    void afterTurn(Runnable step) {
        afterTurn.add(step);
    }

    /** Says that something waits for the end of this turn. */
    void due() {
        due = true;
    }

    /** Says that something was stored that must be committed before anyone hears of it. */
    void stored() {
        uncommitted = true;
    }

    /**
     * Says that a delivery status was stored: it goes with the next commit, at the latest
     * {@value #STATUS_COMMIT_DELAY_MILLIS} ms later. A crash before that shows the message's earlier status
     * after the restart, which the protocol mends (the author offers a pending message again).
     */
    void statusStored() {
        statusChanged = true;
    }

    /** Runs an action once what is stored so far is committed: now, if nothing waits for a commit. */
    void afterCommit(Runnable action) {
        if (uncommitted) {
            afterCommit.add(action);
        } else {
            action.run();
        }
    }

    /** Commits what is stored now and releases what waited for it. */
    void commit() {
        commitAll.run();
        lastCommitMillis = loop.nowMillis();
        uncommitted = false;
        statusChanged = false;
        List<Runnable> released = List.copyOf(afterCommit);
        afterCommit.clear();
        released.forEach(Runnable::run);
    }

    private void endOfTask() {
        boolean statusDue = statusChanged && loop.nowMillis() - lastCommitMillis >= STATUS_COMMIT_DELAY_MILLIS;
        if (!due && !uncommitted && !statusDue) {
            return;
        }
        if (++tasksSinceCommit < MAX_TASKS_PER_COMMIT && loop.hasReadyTask()) {
            return;
        }
        tasksSinceCommit = 0;
        try {
            beforeCommit.forEach(Runnable::run);
            if (uncommitted || statusDue) {
                commit();
            }
        } catch (RuntimeException e) {
            // What waits stays held: it is released by the next commit that succeeds.
            LOG.log(ERROR, "could not commit the store; the messages since the last commit are not acknowledged", e);
        }
        afterTurn.forEach(Runnable::run);
        due = false;
    }
}
