package org.ringchat.itests.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.ringchat.itests.processes.NodeProcess;
import org.ringchat.itests.processes.Ports;

/**
 * The node processes of one test, each serving its web page on a free loopback port, as a JUnit 5
 * extension: a fresh work directory {@code <ringchat.itest.dir>/<TestClass>/<method>/} before each test
 * (kept after it), the end of every node's log added to a failure, every node killed after the test.
 */
final class PageNodes implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {

    /** A node process and the port of its page. */
    record PageNode(NodeProcess process, int httpPort) {

        /** {@code http://127.0.0.1:<port>} followed by {@code path}. */
        String url(String path) {
            return "http://127.0.0.1:" + httpPort + path;
        }

        Api api() {
            return new Api(this);
        }
    }

    private final List<PageNode> nodes = new CopyOnWriteArrayList<>();
    private Path workDir;

    /** Starts a node with its page at {@code 127.0.0.1:<free port>}; returns at once. */
    PageNode start(String name) {
        int httpPort = Ports.pick();
        NodeProcess process = NodeProcess.create(name, workDir).http("127.0.0.1:" + httpPort);
        PageNode node = new PageNode(process, httpPort);
        nodes.add(node);
        process.start();
        return node;
    }

    Path workDir() {
        return workDir;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        workDir = Path.of(System.getProperty("ringchat.itest.dir", "target/browser-tests"))
                .resolve(context.getRequiredTestClass().getSimpleName())
                .resolve(context.getRequiredTestMethod().getName()).toAbsolutePath();
        if (Files.exists(workDir)) {
            try (Stream<Path> paths = Files.walk(workDir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(workDir);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (nodes.isEmpty()) {
            throw failure;
        }
        StringBuilder text = new StringBuilder(failure instanceof AssertionError ? String.valueOf(failure.getMessage())
                : failure.toString());
        text.append("\n\nNode processes (work directory ").append(workDir).append("):");
        for (PageNode node : nodes) {
            text.append("\n\n").append(node.process().describe()).append(", page at ").append(node.url("/"))
                    .append("\n  last 40 lines of its log:\n").append(node.process().tail(40).indent(4));
        }
        throw new AssertionError(text.toString(), failure);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<RuntimeException> problems = new ArrayList<>();
        for (PageNode node : nodes) {
            try {
                node.process().close();
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        nodes.clear();
        if (!problems.isEmpty()) {
            RuntimeException first = problems.get(0);
            problems.subList(1, problems.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    static UncheckedIOException unchecked(String what, IOException e) {
        return new UncheckedIOException(what + ": " + e.getMessage(), e);
    }
}
