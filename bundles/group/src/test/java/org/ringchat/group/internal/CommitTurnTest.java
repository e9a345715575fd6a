package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CommitTurnTest {

    private final VirtualTime time = new VirtualTime();
    private final EngineLoop loop = time.loop();
    private final InMemoryStore store = new InMemoryStore();
    private final CommitTurn turn = new CommitTurn(store::commit, loop);
    private final List<String> told = new ArrayList<>();

    /** A task that stores a message and tells of it once it is committed. */
    private Runnable storing(String what) {
        return () -> {
            turn.stored();
            turn.afterCommit(() -> told.add(what));
        };
    }

    @Test
    void whatIsStoredIsToldOnlyAfterTheCommitAtTheEndOfTheTurn() {
        loop.execute(() -> {
            storing("m1").run();
            assertTrue(told.isEmpty(), "not told before the commit");
            assertEquals(0, store.commits);
        }, () -> { });

        time.advance(0);

        assertEquals(List.of("m1"), told);
        assertEquals(1, store.commits);
    }

    @Test
    void aBusyLoopLetsManyTasksShareOneCommitButNoMoreThanTheCap() {
        int tasks = CommitTurn.MAX_TASKS_PER_COMMIT + 10;
        for (int i = 0; i < tasks; i++) {
            loop.execute(storing("m" + i), () -> { });
        }

        time.advance(0);

        assertEquals(2, store.commits, "one commit per " + CommitTurn.MAX_TASKS_PER_COMMIT + " tasks, one for the rest");
        assertEquals(tasks, told.size());
    }

    @Test
    void aLoneStatusChangeWaitsForALaterCommitAtMostTheStatusDelay() {
        loop.execute(turn::statusStored, () -> { });
        time.advance(0);
        assertEquals(0, store.commits, "a status alone does not commit at once");

        time.advance(CommitTurn.STATUS_COMMIT_DELAY_MILLIS);
        loop.execute(() -> { }, () -> { });
        time.advance(0);

        assertEquals(1, store.commits, "the first turn after the delay commits it");
    }

    @Test
    void stepsBeforeTheCommitRunInOrderAndTheirWorkGoesWithIt() {
        List<String> steps = new ArrayList<>();
        turn.beforeCommit(() -> steps.add("sign"));
        turn.beforeCommit(() -> steps.add("flush"));
        turn.afterTurn(() -> steps.add("flush again"));
        loop.execute(turn::due, () -> { });

        time.advance(0);

        assertEquals(List.of("sign", "flush", "flush again"), steps);
        assertEquals(0, store.commits, "nothing was stored, so nothing to commit");
    }

    @Test
    void aFailedCommitHoldsWhatWaitsUntilACommitSucceeds() {
        store.failing = true;
        loop.execute(storing("m1"), () -> { });
        time.advance(0);
        assertTrue(told.isEmpty(), "nothing is told of what may be lost");

        store.failing = false;
        loop.execute(() -> { }, () -> { });
        time.advance(0);

        assertEquals(List.of("m1"), told);
    }
}
