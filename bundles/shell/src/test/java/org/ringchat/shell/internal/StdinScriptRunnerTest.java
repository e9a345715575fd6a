package org.ringchat.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The script loop: where it stops, and what it says of lines it cannot run. */
class StdinScriptRunnerTest {

    private final ShellFixture shell = new ShellFixture();

    @AfterEach
    void closeShell() {
        shell.close();
    }

    private boolean run(boolean keepGoing, Object... lines) throws InterruptedException {
        Deque<Object> input = new ArrayDeque<>(List.of(lines));
        return StdinScriptRunner.runScript(() -> {
            Object line = input.poll();
            if (line instanceof BoundedLines.TooLongException e) {
                throw e;
            }
            return (String) line;
        }, shell.runner, keepGoing, shell.err);
    }

    private List<String> out() {
        return shell.out();
    }

    private List<String> err() {
        return shell.err();
    }

    @Test
    void theScriptStopsAtItsFirstFailedCommandAndSaysItFailed() throws Exception {
        boolean failed = run(false, "hello one", "nosuchcommand", "hello two");

        assertTrue(failed);
        assertEquals(List.of("hello one"), out());
        assertEquals(List.of("error: unknown command 'nosuchcommand'; 'help' lists the commands"), err());
    }

    @Test
    void keepGoingRunsEveryLineAndStillSaysALineFailed() throws Exception {
        boolean failed = run(true, "nosuchcommand", "history nope", "hello after");

        assertTrue(failed);
        assertEquals(List.of("error: unknown command 'nosuchcommand'; 'help' lists the commands",
                "error: no group named 'nope'"), err());
        assertEquals(List.of("hello after"), out());
    }

    @Test
    void aScriptWithoutFailuresSaysSo() throws Exception {
        assertFalse(run(false, "hello one", "", "# a comment", "hello two"));
        assertEquals(List.of("hello one", "hello two"), out());
    }

    @Test
    void exitEndsTheScript() throws Exception {
        run(false, "hello before", "exit", "hello after");

        assertEquals(List.of("hello before"), out());
    }

    @Test
    void aLineTooLongIsRefusedAndStopsTheScript() throws Exception {
        boolean failed = run(false, new BoundedLines.TooLongException(2, 102_400), "hello after");

        assertTrue(failed);
        assertEquals(List.of(), out());
        assertEquals(List.of("error: line 2 has 102400 bytes, more than the 17408 a line may have (a message holds"
                + " at most 16384 bytes in UTF-8): it was not run"), err());
    }

    @Test
    void anIncompleteCommandAtTheEndIsAnError() throws Exception {
        boolean failed = run(false, "hello first", "each [1 2] {");

        assertTrue(failed);
        assertEquals(List.of("hello first"), out());
        assertEquals(List.of("error: incomplete command at the end of input: each [1 2] {"), err());
    }

    @Test
    void watchdogTimeoutDefaultsOnMissingOrBadValues() {
        assertEquals(60, StdinScriptRunner.Watchdog.timeoutSeconds(null));
        assertEquals(60, StdinScriptRunner.Watchdog.timeoutSeconds("soon"));
        assertEquals(5, StdinScriptRunner.Watchdog.timeoutSeconds(" 5 "));
        assertEquals(1, StdinScriptRunner.Watchdog.timeoutSeconds("0"));
    }
}
