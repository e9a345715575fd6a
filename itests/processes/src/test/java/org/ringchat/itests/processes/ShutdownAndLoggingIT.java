package org.ringchat.itests.processes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How a node stops and logs: a headless node stops cleanly on SIGTERM and finds its data again; a node
 * logs to DATA/log/ringchat.0.log and to stderr at the levels of --log-level and --console-level, and in
 * script mode keeps stdout for command output.
 */
class ShutdownAndLoggingIT {

    /** How long a node may take to stop after SIGTERM. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(20);
    private static final Duration STARTUP = NodeProcess.STARTUP_TIMEOUT;
    /** A log record's first line: date, time, level. */
    private static final Pattern RECORD = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ([A-Z]+) .*");

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void aHeadlessNodeStopsCleanlyOnSigtermAndFindsItsDataAgain() throws IOException {
        NodeProcess node = nodes.start("headless");
        String address = node.address(); // its identity, made in script mode
        assertEquals(0, node.stop(), "exit status of the script");
        Path store = node.dataDir().resolve("ringchat.mv.db");

        // the same data directory and port, headless; a peer makes it a member and writes to it
        try (TracedProcess headless = TracedProcess.start(nodes.workDir().resolve("headless-run.log"), Path.of("/dev/null"),
                List.of("--headless", "--data", node.dataDir().toString(), "--listen", node.listen(), "--http", "off"))) {
            headless.stderr().await("the node to listen", l -> l.endsWith("@" + node.listen()) && l.contains("listening on"),
                    STARTUP);
            NodeProcess peer = nodes.start("peer");
            peer.run("create kept");
            assertEquals(List.of(address.substring(0, 8) + " joined 'kept', now 2 members"), peer.run("invite kept " + address));
            assertTrue(peer.run("send kept written while headless").get(0).startsWith("sent "));
            await("the message confirmed by the headless node").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> peer.run("history kept").stream().anyMatch(l -> l.endsWith("[confirmed 2/2]")));
            // H2 removes "clean:1" from the store's header when it first writes to it, and puts it back on closing it
            await("the headless node writing to its store").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !header(store).contains(",clean:1,"));

            long signalled = System.nanoTime();
            headless.signal("TERM");
            int status = headless.awaitExit(STOP_BOUND);
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);

            assertEquals(0, status, "exit status after SIGTERM (stopped in " + took.toMillis() + " ms)");
            assertTrue(header(store).contains(",clean:1,"), "the store was closed, not abandoned: " + header(store));
            List<String> stderr = headless.stderr().all();
            List<String> log = Files.readAllLines(node.dataDir().resolve("log/ringchat.0.log"));
            for (List<String> lines : List.of(stderr, log)) {
                assertTrue(lines.stream().anyMatch(l -> l.endsWith(" INFO org.ringchat.launcher: SIGTERM: stopping the node")),
                        "the stop is logged:\n" + String.join("\n", lines));
                assertTrue(lines.get(lines.size() - 1).endsWith(" INFO org.ringchat.launcher: ringchat node stopped on SIGTERM"),
                        "the last record says the node stopped:\n" + String.join("\n", lines));
            }
        }

        node.restart();
        assertEquals(address, node.address(), "the same identity");
        assertEquals(1, node.run("groups").size());
        assertTrue(node.run("groups").get(0).endsWith("  kept  2 members"), node.run("groups").toString());
        assertTrue(node.run("history kept").stream().anyMatch(l -> l.contains("  written while headless  [")),
                "the message it took while headless is kept");
    }

    @Test
    void aScriptStopsCleanlyOnSigtermBeforeItsInputEnds() throws IOException {
        NodeProcess node = nodes.start("script");
        node.address(); // up, and waiting for the next line of its stdin, which stays open
        TracedProcess.signal(node.pid(), "TERM");
        await("the node to exit").atMost(STOP_BOUND).pollInterval(Duration.ofMillis(100)).until(() -> !node.isRunning());
        assertEquals(Optional.of(0), node.exitStatus(), "exit status after SIGTERM");
        List<String> log = Files.readAllLines(node.dataDir().resolve("log/ringchat.0.log"));
        assertTrue(log.get(log.size() - 1).endsWith(" INFO org.ringchat.launcher: ringchat node stopped on SIGTERM"),
                "the last record says the node stopped:\n" + String.join("\n", log));
    }

    @Test
    void scriptModeLogsToItsFileAndToStderrAndKeepsStdoutForCommandOutput() throws IOException {
        Path script = nodes.workDir().resolve("script.txt");
        Files.writeString(script, "id\n");
        int port = Ports.pick();
        Path data = nodes.workDir().resolve("script-node");
        List<String> arguments = List.of("--data", data.toString(), "--listen", "127.0.0.1:" + port, "--http", "off");

        // the defaults: INFO to the file and to stderr
        try (TracedProcess node = TracedProcess.start(nodes.workDir().resolve("defaults.log"), script, arguments)) {
            assertEquals(0, node.awaitExit(STARTUP));
            assertEquals(1, node.stdout().all().size(), "stdout has the output of 'id' only: " + node.stdout().all());
            assertTrue(node.stdout().all().get(0).endsWith("@127.0.0.1:" + port), node.stdout().all().toString());
            List<String> log = Files.readAllLines(data.resolve("log/ringchat.0.log"));
            for (List<String> lines : List.of(node.stderr().all(), log)) {
                assertTrue(lines.stream().anyMatch(l -> l.contains(" INFO ") && l.contains("listening on")), String.join("\n", lines));
                assertEquals(List.of(), levels(lines, "FINE", "FINER", "FINEST", "CONFIG"), "nothing below INFO by default");
                assertTrue(lines.get(lines.size() - 1).endsWith("org.ringchat.launcher: ringchat node stopped"), String.join("\n", lines));
            }
        }

        // the file at DEBUG, the console at WARNING; the file is appended to, and rotates as ringchat.%g.log
        List<String> quieter = new java.util.ArrayList<>(arguments);
        quieter.addAll(List.of("--log-level", "debug", "--console-level", "WARNING"));
        int before = Files.readAllLines(data.resolve("log/ringchat.0.log")).size();
        try (TracedProcess node = TracedProcess.start(nodes.workDir().resolve("levels.log"), script, quieter)) {
            assertEquals(0, node.awaitExit(STARTUP));
            assertEquals(1, node.stdout().all().size(), "stdout has the output of 'id' only: " + node.stdout().all());
            assertEquals(List.of(), levels(node.stderr().all(), "INFO", "FINE", "CONFIG"), "stderr at WARNING");
            List<String> log = Files.readAllLines(data.resolve("log/ringchat.0.log"));
            List<String> thisRun = log.subList(before, log.size());
            assertTrue(thisRun.stream().anyMatch(l -> l.contains(" INFO ") && l.contains("listening on")), String.join("\n", thisRun));
            assertTrue(thisRun.stream().anyMatch(l -> l.endsWith(" FINE org.ringchat.shell.internal.StdinScriptRunner: end of script: stopping the framework")),
                    "the file has DEBUG records:\n" + String.join("\n", thisRun));
        }
    }

    @Test
    void aLevelThatDoesNotExistIsRejected() {
        for (String option : List.of("--log-level", "--console-level")) {
            try (TracedProcess node = TracedProcess.start(nodes.workDir().resolve(option.substring(2) + ".log"), Path.of("/dev/null"),
                    List.of("--data", nodes.workDir().resolve("never-started").toString(), option, "verbose"))) {
                assertEquals(2, node.awaitExit(Duration.ofSeconds(10)), "exit status of a wrong command line");
                assertEquals("ringchat: " + option + " must be OFF, ERROR, WARNING, INFO, DEBUG, TRACE or ALL, not 'verbose'",
                        node.stderr().all().get(0));
            }
        }
        assertFalse(Files.exists(nodes.workDir().resolve("never-started")), "rejected before the data directory is made");
    }

    /** The log records among {@code lines} at one of {@code levels}. */
    private static List<String> levels(List<String> lines, String... levels) {
        List<String> wanted = List.of(levels);
        return lines.stream().filter(l -> {
            var m = RECORD.matcher(l);
            return m.matches() && wanted.contains(m.group(1));
        }).toList();
    }

    /** The first line of an H2 MVStore file: its header, e.g. {@code H:2,block:3,...,clean:1,...}. */
    private static String header(Path store) throws IOException {
        try (InputStream in = Files.newInputStream(store)) {
            String start = new String(in.readNBytes(256), StandardCharsets.ISO_8859_1);
            int end = start.indexOf('\n');
            return end < 0 ? start : start.substring(0, end);
        }
    }
}
