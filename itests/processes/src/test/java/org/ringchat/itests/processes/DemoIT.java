package org.ringchat.itests.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bin/ringchat --demo N}: N node processes form one group, exchange messages, run until Ctrl-C
 * (SIGINT to the demo) and stop cleanly; a second demo in the same directory works; a killed demo
 * leaves no node behind; a port in use is refused before any node starts.
 */
class DemoIT {

    private static final Duration READY = Duration.ofSeconds(180);
    private static final Duration STOP = Duration.ofSeconds(60);
    private static final String READY_LINE = "Press Ctrl-C to stop the demo.";
    private static final Pattern UP = Pattern.compile("  node (\\d) is up after \\d+ s: ([a-z2-7]{52})@127\\.0\\.0\\.1:(\\d+), topology ring");

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void nodesFormOneGroupRunUntilCtrlCAndAKilledDemoLeavesNoNodeBehind() throws Exception {
        int count = 3;
        int listen = consecutiveFreePorts(count, -1);
        int http = consecutiveFreePorts(count, listen);
        Path dir = nodes.workDir().resolve("demo");
        List<String> arguments = List.of("--data", dir.toString(), "--listen", "127.0.0.1:" + listen,
                "--http", "127.0.0.1:" + http);

        List<ProcessHandle> nodeProcesses;
        List<String> chatting = new ArrayList<>(arguments);
        chatting.addAll(List.of("--chat", "1"));
        try (TracedProcess demo = startDemo("demo-1.log", count, chatting)) {
            demo.stdout().await("the demo to be ready", READY_LINE::equals, READY);
            List<String> out = demo.stdout().all();
            // then the nodes take turns to send
            demo.stdout().await("node 2's turn to send",
                    l -> l.startsWith("  node 2 says 'message 2 from node 2': sent "), READY);

            List<String> peers = new ArrayList<>();
            for (String line : out) {
                Matcher m = UP.matcher(line);
                if (m.matches()) {
                    assertEquals(peers.size() + 1, Integer.parseInt(m.group(1)), line);
                    assertEquals(listen + peers.size(), Integer.parseInt(m.group(3)), "node " + m.group(1) + "'s port: " + line);
                    peers.add(m.group(2));
                }
            }
            assertEquals(count, peers.size(), "every node is up:\n" + String.join("\n", out));
            for (int k = 2; k <= count; k++) {
                assertTrue(out.contains("  node " + k + ": " + peers.get(k - 1).substring(0, 8) + " joined 'demo', now " + k + " members"),
                        "node " + k + " joined:\n" + String.join("\n", out));
            }
            for (int node = 1; node <= count; node++) {
                int k = node;
                // the demo insists on every message at every node; their confirmation is best effort
                String text = "  hello from node " + k + "  [";
                assertEquals(1, out.stream().filter(l -> l.contains(text)).count(), "node 1's history has '" + text + "' once:\n" + String.join("\n", out));
                Path log = dir.resolve("node" + k).resolve("log/ringchat.0.log");
                String page = "http://127.0.0.1:" + (http + k - 1) + "/";
                assertTrue(out.stream().anyMatch(l -> l.startsWith("  node " + k + "  " + page) && l.endsWith(log.toString())),
                        "node " + k + "'s page and log are printed:\n" + String.join("\n", out));
                if (k > 1) {
                    String joined = "' on invitation by " + peers.get(0).substring(0, 8);
                    assertTrue(Files.readAllLines(log).stream().anyMatch(l -> l.contains(" 'demo") && l.endsWith(joined)),
                            "node " + k + "'s log says it joined node 1's group: " + log);
                }
            }
            nodeProcesses = javaChildren(demo);
            assertEquals(count, nodeProcesses.size(), "one JVM per node: " + nodeProcesses);

            demo.signal("INT"); // what Ctrl-C sends it; the nodes ignore SIGINT, as background jobs of a script
            assertEquals(0, demo.awaitExit(STOP), "exit status after Ctrl-C");
            for (int k = 1; k <= count; k++) {
                assertTrue(demo.stdout().all().contains("  node " + k + " stopped"), String.join("\n", demo.stdout().all()));
                assertStoppedCleanly(dir, k);
            }
            for (ProcessHandle node : nodeProcesses) {
                assertFalse(node.isAlive(), "node process " + node.pid() + " is gone once the demo has ended");
            }
        }

        // right after it, a demo in the same directory and on the same ports; killed, it takes its nodes along
        try (TracedProcess again = startDemo("demo-2.log", 2, arguments)) {
            again.stdout().await("the second demo to be ready", READY_LINE::equals, READY);
            nodeProcesses = javaChildren(again);
            assertEquals(2, nodeProcesses.size(), "one JVM per node: " + nodeProcesses);
            again.signal("KILL");
            again.awaitExit(STOP);
            for (ProcessHandle node : nodeProcesses) {
                try {
                    node.onExit().get(STOP.toSeconds(), TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    fail("node process " + node.pid() + " still runs " + STOP.toSeconds() + " s after its demo was killed");
                }
            }
            for (int k = 1; k <= 2; k++) {
                assertStoppedCleanly(dir, k); // at the end of its input, not killed
            }
        }
    }

    @Test
    void aPortInUseIsRefusedBeforeAnyNodeStarts() throws IOException, InterruptedException {
        int listen = consecutiveFreePorts(2, -1);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(Ports.loopback(), listen + 1));
            Path dir = nodes.workDir().resolve("demo");
            try (TracedProcess demo = startDemo("demo.log", 2, List.of("--data", dir.toString(),
                    "--listen", "127.0.0.1:" + listen, "--http", "off"))) {
                assertEquals(1, demo.awaitExit(Duration.ofSeconds(30)));
                assertEquals(List.of("ringchat: port 127.0.0.1:" + (listen + 1) + " (node 2) is in use: stop what listens"
                        + " there, or choose other ports with --listen"), demo.stderr().all());
                assertFalse(Files.exists(dir.resolve("node1")), "no node was started");
            }
        }
    }

    private TracedProcess startDemo(String logName, int count, List<String> options) {
        List<String> arguments = new ArrayList<>(List.of("--demo", Integer.toString(count)));
        arguments.addAll(options);
        return TracedProcess.start(nodes.workDir().resolve(logName), Path.of("/dev/null"), arguments);
    }

    /** The node JVMs the demo started (bin/ringchat execs java, so they are its children). */
    private static List<ProcessHandle> javaChildren(TracedProcess demo) {
        return demo.children().stream().filter(p -> p.info().command().orElse("").endsWith("/java")).toList();
    }

    /** The last record of node K's log is the launcher's, after a clean stop that no signal asked for. */
    private static void assertStoppedCleanly(Path dir, int k) throws IOException {
        List<String> log = Files.readAllLines(dir.resolve("node" + k).resolve("log/ringchat.0.log"));
        assertTrue(log.get(log.size() - 1).endsWith(" INFO org.ringchat.launcher: ringchat node stopped"),
                "node " + k + " stopped cleanly; its log ends with: " + log.get(log.size() - 1));
    }

    /**
     * The first of {@code count} consecutive ports on 127.0.0.1 that are free now, below the ephemeral
     * range, and not within {@code count} of {@code other} (-1: none).
     */
    private static int consecutiveFreePorts(int count, int other) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(Ports.LOWEST, 30000 - count);
            if (other >= 0 && Math.abs(base - other) < count) {
                continue;
            }
            boolean free = true;
            for (int port = base; port < base + count && free; port++) {
                free = Ports.isFree(port);
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports on 127.0.0.1");
    }
}
