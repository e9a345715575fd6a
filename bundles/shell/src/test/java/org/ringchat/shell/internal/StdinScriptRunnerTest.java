package org.ringchat.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The script loop against a real Gogo runtime, with commands of this test's own. */
class StdinScriptRunnerTest {

    /** Commands in scope "test"; the ones that print do so through System.out, as ringchat's do. */
    public static final class TestCommands {
        public String hello(String name) {
            return "hello " + name;
        }

        public void say(String text) {
            System.out.println(text);
        }

        public void quiet() {
        }

        public void boom() {
            throw new IllegalStateException("it broke\n  on two lines");
        }

        public void npe() {
            throw new NullPointerException();
        }
    }

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    private ThreadIOImpl threadIO;
    private CommandSession session;

    @BeforeEach
    void startGogo() {
        threadIO = new ThreadIOImpl();
        threadIO.start();
        CommandProcessorImpl processor = new CommandProcessorImpl(threadIO);
        processor.addCommand("test", new TestCommands());
        session = processor.createSession(InputStream.nullInputStream(), out, err);
        session.put("SCOPE", StdinScriptRunner.SCOPE);
    }

    @AfterEach
    void stopGogo() {
        session.close();
        threadIO.stop();
    }

    private void run(String... lines) throws InterruptedException {
        Deque<String> input = new ArrayDeque<>(List.of(lines));
        StdinScriptRunner.runScript(input::poll, session, out, err);
    }

    private List<String> out() {
        return outBytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private List<String> err() {
        return errBytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void runsEachLineInOrderAndPrintsResultsAndOutput() throws Exception {
        run("hello one", "say two", "quiet", "test:hello three");

        assertEquals(List.of("hello one", "two", "hello three"), out());
        assertEquals(List.of(), err());
    }

    @Test
    void skipsBlankAndCommentLines() throws Exception {
        run("", "   ", "# a comment", "  # another", "hello x");

        assertEquals(List.of("hello x"), out());
        assertEquals(List.of(), err());
    }

    @Test
    void keepsSessionVariablesBetweenLines() throws Exception {
        run("who = world", "hello $who");

        assertEquals("hello world", out().get(out().size() - 1));
    }

    @Test
    void aFailureIsOneErrorLineAndTheScriptGoesOn() throws Exception {
        run("boom", "nosuchcommand", "npe", "hello after");

        assertEquals(List.of("error: it broke on two lines", "error: Command not found: nosuchcommand",
                "error: NullPointerException"), err());
        assertEquals(List.of("hello after"), out());
    }

    @Test
    void exitEndsTheScript() throws Exception {
        run("hello before", "exit", "hello after");

        assertEquals(List.of("hello before"), out());
    }

    @Test
    void anOpenBraceContinuesOnTheNextLine() throws Exception {
        run("greet = {", "  hello there", "}", "greet", "say 'two", "lines'");

        assertEquals(List.of("hello there", "two", "lines"), out().subList(out().size() - 3, out().size()));
        assertEquals(List.of(), err());
    }

    @Test
    void anIncompleteCommandAtTheEndIsAnError() throws Exception {
        run("hello first", "each [1 2] {");

        assertEquals(List.of("hello first"), out());
        assertEquals(List.of("error: incomplete command at the end of input: each [1 2] {"), err());
    }

    @Test
    void messageUnwrapsInvocationAndFutureWrappers() {
        Exception cause = new IllegalArgumentException("no such group: x");

        assertEquals("no such group: x", StdinScriptRunner.message(new InvocationTargetException(cause)));
        assertEquals("no such group: x", StdinScriptRunner.message(new CompletionException(cause)));
        assertEquals("IllegalStateException", StdinScriptRunner.message(new IllegalStateException()));
        assertEquals("interrupted: the node is restarting (its configuration changed) or stopping",
                StdinScriptRunner.message(new InvocationTargetException(new InterruptedException())));
    }

    @Test
    void watchdogTimeoutDefaultsOnMissingOrBadValues() {
        assertEquals(60, StdinScriptRunner.Watchdog.timeoutSeconds(null));
        assertEquals(60, StdinScriptRunner.Watchdog.timeoutSeconds("soon"));
        assertEquals(5, StdinScriptRunner.Watchdog.timeoutSeconds(" 5 "));
        assertEquals(1, StdinScriptRunner.Watchdog.timeoutSeconds("0"));
    }
}
