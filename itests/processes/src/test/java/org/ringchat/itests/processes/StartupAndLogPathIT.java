package org.ringchat.itests.processes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How a node starts when its addresses are taken, and where what the framework's bundles log goes:
 * a listen or web port in use is one {@code error:} line and a non-zero exit in script and headless mode
 * (the check runs before the mode matters); a taken default web port moves on to the next free one; SCR's
 * and Jetty's records reach the log file, and the console only at its level, one line each; {@code --http off}
 * says nothing of Jetty.
 */
class StartupAndLogPathIT {

    /** A bound on a start that fails at once; it is not a measure of speed. */
    private static final Duration REFUSED_AT_ONCE = Duration.ofSeconds(20);
    private static final Duration STARTUP = NodeProcess.STARTUP_TIMEOUT;
    private static final Pattern WEB_PAGE_MOVED = Pattern.compile(
            ".* WARNING org\\.ringchat\\.launcher: the web page is at (http://127\\.0\\.0\\.1:(\\d+)/): "
                    + "127\\.0\\.0\\.1:8400 is in use \\(--http HOST:PORT chooses the address\\)");

    /** SCR logs a component's failure under the component's class name. */
    private static final String SCR_FAILURE = " SEVERE org.ringchat.transport.netty.internal.NettyTransportComponent: "
            + "bundle org.ringchat.transport.netty";

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void aListenPortInUseIsOneErrorLineAndExitStatusOneInScriptAndHeadlessMode() throws IOException {
        try (ServerSocket taken = bind(Ports.pick())) {
            String listen = "127.0.0.1:" + taken.getLocalPort();
            for (String mode : List.of("script", "headless")) {
                List<String> arguments = new ArrayList<>(List.of(
                        "--data", nodes.workDir().resolve(mode).toString(), "--listen", listen, "--http", "off"));
                if (mode.equals("headless")) {
                    arguments.add("--headless");
                }
                try (TracedProcess node = TracedProcess.start(nodes.workDir().resolve(mode + ".log"), script("id"), arguments)) {
                    assertEquals(1, node.awaitExit(REFUSED_AT_ONCE), mode + ": exit status");
                    assertEquals(List.of("error: cannot listen on " + listen + ": address in use; choose another with --listen HOST:PORT"),
                            node.stderr().all(), mode + ": stderr");
                    assertEquals(List.of(), node.stdout().all(), mode + ": stdout");
                }
            }
        }
    }

    @Test
    void aWebPortInUseThatWasAskedForIsOneErrorLineAndExitStatusOne() throws IOException {
        try (ServerSocket taken = bind(Ports.pick())) {
            String http = "127.0.0.1:" + taken.getLocalPort();
            try (TracedProcess node = TracedProcess.start(nodes.workDir().resolve("http.log"), script("id"),
                    List.of("--data", nodes.workDir().resolve("http").toString(), "--listen", "127.0.0.1:" + Ports.pick(), "--http", http))) {
                assertEquals(1, node.awaitExit(REFUSED_AT_ONCE), "exit status");
                assertEquals(List.of("error: cannot serve the web page on " + http
                        + ": address in use; choose another with --http HOST:PORT, or --http off"), node.stderr().all());
            }
        }
    }

    /** The README's two nodes, both with the default web page address: the second one's page moves on. */
    @Test
    void aTakenDefaultWebPortMovesToTheNextFreePortAndSaysWhere() throws Exception {
        try (ServerSocket firstNodesPage = bindOrNullWhenTaken(8400)) {
            try (TracedProcess node = TracedProcess.start(nodes.workDir().resolve("second.log"), Path.of("/dev/null"),
                    List.of("--headless", "--data", nodes.workDir().resolve("second").toString(), "--listen", "127.0.0.1:" + Ports.pick()))) {
                String moved = node.stderr().await("where the web page is", l -> WEB_PAGE_MOVED.matcher(l).matches(), STARTUP);
                Matcher where = WEB_PAGE_MOVED.matcher(moved);
                assertTrue(where.matches());
                assertTrue(Integer.parseInt(where.group(2)) > 8400, moved);
                node.stderr().await("the page served", l -> l.endsWith("web page at " + where.group(1)), STARTUP);
                HttpResponse<String> page = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(where.group(1))).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, page.statusCode());
                node.signal("TERM");
                assertEquals(0, node.awaitExit(STARTUP));
                assertEquals(List.of(), traces(node.stderr().all()), "no stack trace on the console");
            }
        }
    }

    /**
     * A component that fails (SCR's record, with a stack trace) and Felix HTTP's record of where Jetty listens
     * (through SLF4J): both in the log file; at {@code --console-level off} nothing on the console, at ERROR one
     * line for SCR's.
     */
    @Test
    void scrAndJettyRecordsGoToTheLogFileAndToTheConsoleOnlyAtItsLevelOneLineEach() throws IOException {
        // a frame size the transport refuses: its component fails in its constructor
        Map<String, String> failingTransport = Map.of("JAVA_OPTS", "-Dringchat.max.frame.size=0");
        for (String consoleLevel : List.of("off", "error")) {
            Path data = nodes.workDir().resolve("console-" + consoleLevel);
            try (TracedProcess node = TracedProcess.start(nodes.workDir().resolve("console-" + consoleLevel + ".log"),
                    Path.of("/dev/null"), List.of("--headless", "--data", data.toString(), "--listen", "127.0.0.1:" + Ports.pick(),
                            "--http", "127.0.0.1:" + Ports.pick(), "--console-level", consoleLevel), failingTransport)) {
                Path logFile = data.resolve("log/ringchat.0.log");
                await("SCR's and Jetty's records in the log file").atMost(STARTUP).pollInterval(Duration.ofMillis(100))
                        .until(() -> Files.exists(logFile) && hasScrFailureAndJettyStart(Files.readAllLines(logFile)));
                node.signal("TERM");
                assertEquals(0, node.awaitExit(STARTUP));

                List<String> log = Files.readAllLines(logFile);
                assertTrue(!traces(log).isEmpty(), "the log file has the stack trace:\n" + String.join("\n", log));
                List<String> console = node.stderr().all();
                if (consoleLevel.equals("off")) {
                    assertEquals(List.of(), console, "nothing on the console at --console-level off");
                } else {
                    assertTrue(console.stream().anyMatch(l -> l.contains(SCR_FAILURE) && l.contains("max frame size must be")),
                            String.join("\n", console));
                    assertEquals(List.of(), traces(console), "one line per record on the console");
                    assertTrue(console.stream().noneMatch(l -> l.contains("Jetty")), "Felix HTTP's record is below ERROR");
                }
            }
        }
    }

    @Test
    void withHttpOffTheHttpServiceSaysNothing() throws IOException {
        Path data = nodes.workDir().resolve("no-page");
        try (TracedProcess node = TracedProcess.start(nodes.workDir().resolve("no-page.log"), script("id"),
                List.of("--data", data.toString(), "--listen", "127.0.0.1:" + Ports.pick(), "--http", "off"))) {
            assertEquals(0, node.awaitExit(STARTUP));
            assertEquals(1, node.stdout().all().size(), "the output of 'id': " + node.stdout().all());
            for (List<String> lines : List.of(node.stderr().all(), Files.readAllLines(data.resolve("log/ringchat.0.log")))) {
                assertTrue(lines.stream().noneMatch(l -> l.contains("Jetty")), String.join("\n", lines));
            }
        }
    }

    private static boolean hasScrFailureAndJettyStart(List<String> log) {
        return log.stream().anyMatch(l -> l.contains(SCR_FAILURE))
                && log.stream().anyMatch(l -> l.contains(" INFO org.apache.felix.http: Started Jetty "));
    }

    /** The lines of a stack trace among {@code lines}. */
    private static List<String> traces(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by: ")).toList();
    }

    private Path script(String... commands) throws IOException {
        Path file = Files.createTempFile(nodes.workDir(), "script", ".txt");
        Files.writeString(file, String.join("\n", commands) + "\n");
        return file;
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    /** Holds the port, or null when something else holds it already: the port is taken either way. */
    private static ServerSocket bindOrNullWhenTaken(int port) {
        try {
            return bind(port);
        } catch (IOException e) {
            return null;
        }
    }
}
