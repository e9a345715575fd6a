package org.ringchat.itests.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ringchat's shell in script mode, as a user meets it: {@code bin/ringchat} with a script on stdin,
 * its stdout, its stderr and its exit status.
 */
class ShellScriptIT {

    private static final Duration RUN = NodeProcess.STARTUP_TIMEOUT.plusSeconds(30);
    private static final List<String> TEXTS = List.of("it's me", "bob left?", "price is $5 (or {x})", "a | b",
            "hello   world; two", "\"quoted\" and 'single' \\ back", "# not a comment", "ünïcödé ✓");

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    private int scripts;

    /** Runs {@code bin/ringchat} on a fresh data directory with {@code lines} as its stdin, until it exits. */
    private TracedProcess script(List<String> options, String... lines) throws IOException {
        scripts++;
        Path script = nodes.workDir().resolve("script" + scripts + ".txt");
        Files.writeString(script, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        List<String> arguments = new ArrayList<>(List.of("--data", nodes.workDir().resolve("node" + scripts).toString(),
                "--listen", "127.0.0.1:" + Ports.pick(), "--http", "off", "--console-level", "warning"));
        arguments.addAll(options);
        return TracedProcess.start(nodes.workDir().resolve("script" + scripts + ".log"), script, arguments);
    }

    private static List<String> errors(TracedProcess process) {
        return process.stderr().all().stream().filter(l -> l.startsWith("error: ")).toList();
    }

    @Test
    void sendSendsEveryCharacterAsTyped() throws IOException {
        List<String> lines = new ArrayList<>(List.of("create friends"));
        TEXTS.forEach(text -> lines.add("send friends " + text));
        lines.add("history friends");
        try (TracedProcess node = script(List.of(), lines.toArray(String[]::new))) {
            assertEquals(0, node.awaitExit(RUN), "exit status");
            List<String> history = node.stdout().all().subList(1 + TEXTS.size(), node.stdout().all().size());
            assertEquals(TEXTS.size(), history.size(), String.join("\n", node.stdout().all()));
            for (int i = 0; i < TEXTS.size(); i++) {
                assertTrue(history.get(i).contains("  me  " + TEXTS.get(i) + "  [confirmed 1/1]"), history.get(i));
            }
            assertEquals(List.of(), errors(node));
        }
    }

    @Test
    void aScriptStopsAtItsFirstFailedCommandWithStatusOneAndOneErrorLine() throws IOException {
        try (TracedProcess node = script(List.of(), "id", "foo bar", "id")) {
            assertEquals(1, node.awaitExit(RUN), "exit status");
            assertEquals(1, node.stdout().all().size(), "the script stopped at 'foo': " + node.stdout().all());
            assertEquals(List.of("error: unknown command 'foo'; 'help' lists the commands"), errors(node));
            assertFalse(node.stderr().all().stream().anyMatch(l -> l.contains("Exception")), String.join("\n", node.stderr().all()));
        }
    }

    @Test
    void keepGoingRunsTheWholeScriptAndEndsWithStatusZero() throws IOException {
        try (TracedProcess node = script(List.of("--keep-going"), "id", "history nosuchgroup", "id")) {
            assertEquals(0, node.awaitExit(RUN), "exit status");
            assertEquals(2, node.stdout().all().size(), node.stdout().all().toString());
            assertEquals(List.of("error: no group named 'nosuchgroup' or with an ID starting with it; see 'groups'"),
                    errors(node));
        }
    }

    @Test
    void helpShowsRingchatsCommandsWithUsageAndOneCommandsUsage() throws IOException {
        try (TracedProcess node = script(List.of(), "help", "help send")) {
            assertEquals(0, node.awaitExit(RUN), "exit status");
            List<String> out = node.stdout().all();
            assertEquals("ringchat's commands:", out.get(0));
            assertTrue(out.stream().anyMatch(l -> l.matches("  send <group> <text\\.\\.\\.> +send the text, every character"
                    + " as typed \\(at most 16384 bytes in UTF-8\\)")), String.join("\n", out));
            assertTrue(out.size() < 30, "ringchat's commands, not Gogo's 130: " + out.size());
            assertEquals(List.of("usage: send <group> <text...>",
                    "  send the text, every character as typed (at most 16384 bytes in UTF-8)"),
                    out.subList(out.size() - 2, out.size()));
        }
    }

    @Test
    void oversizedInputIsRefusedWithTheLimit() throws IOException {
        String hundredKilobytes = "x".repeat(100 * 1024);
        String oneByteTooMany = "y".repeat(16 * 1024 + 1);
        try (TracedProcess node = script(List.of("--keep-going"), "create friends", "send friends " + hundredKilobytes,
                "send friends " + oneByteTooMany, "history friends")) {
            assertEquals(0, node.awaitExit(RUN), "exit status");
            assertEquals(List.of("error: line 2 has 102413 bytes, more than the 17408 a line may have (a message holds"
                    + " at most 16384 bytes in UTF-8): it was not run",
                    "error: the message has 16385 bytes; at most 16384 fit"), errors(node));
            assertEquals(1, node.stdout().all().size(), "no message in the history: " + node.stdout().all());
        }
    }

    @Test
    void noGroupsAndAnUnreachablePeerAreSaidPlainly() throws IOException {
        String nobody = "a".repeat(52) + "@127.0.0.1:" + Ports.pick();
        try (TracedProcess node = script(List.of("--keep-going"), "groups", "create friends", "invite friends " + nobody)) {
            assertEquals(0, node.awaitExit(RUN), "exit status");
            assertEquals("no groups yet; 'create <name>' makes one", node.stdout().all().get(0));
            List<String> errors = errors(node);
            assertEquals(1, errors.size(), errors.toString());
            String error = errors.get(0);
            assertTrue(error.startsWith("error: cannot reach " + nobody + ": "), error);
            assertEquals(error.indexOf(nobody.substring(nobody.indexOf('@'))), error.lastIndexOf(nobody.substring(nobody.indexOf('@'))),
                    "the address once: " + error);
            assertFalse(error.contains("next attempt"), error);
        }
    }
}
