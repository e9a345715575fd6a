package org.ringchat.itests.karaf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The Karaf and the bin/ringchat nodes of one test, as a JUnit 5 extension ({@code @RegisterExtension}).
 * <ul>
 * <li>Before each test: an empty work directory {@code <ringchat.itest.dir>/<TestClass>/<method>/} for
 * Karaf's console output and the nodes' data and logs (kept after the run).</li>
 * <li>When a test fails: the failure is rethrown with the end of Karaf's log and of every node's log.</li>
 * <li>After each test: whatever still runs is killed (a test that passes has stopped Karaf cleanly itself).</li>
 * </ul>
 */
final class KarafAndNodes implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {

    private static final int TAIL_LINES = 60;

    private final List<NodeProcess> nodes = new CopyOnWriteArrayList<>();
    private volatile KarafProcess karaf;
    private Path workDir;

    /** The stock Karaf the build unpacked, configured, not started; its ringchat node will listen on a free port. */
    KarafProcess karaf() {
        ThisBuild.assertLocalRepositoryIsCurrent();
        karaf = KarafProcess.create(ThisBuild.karafHome(), workDir, ThisBuild.localRepository(),
                "127.0.0.1:" + Ports.pick());
        return karaf;
    }

    /** A bin/ringchat node of the Felix distribution, started (its first command waits until it is up). */
    NodeProcess node(String name) {
        NodeProcess node = NodeProcess.create(name, workDir);
        nodes.add(node);
        return node.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        workDir = ThisBuild.testDir().resolve(context.getRequiredTestClass().getSimpleName())
                .resolve(context.getRequiredTestMethod().getName()).toAbsolutePath();
        delete(workDir);
        Files.createDirectories(workDir);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        StringBuilder message = new StringBuilder(String.valueOf(failure.getMessage())).append("\n\n");
        if (karaf != null) {
            message.append(karaf.diagnostics(TAIL_LINES)).append('\n');
        }
        for (NodeProcess node : nodes) {
            message.append(node.describe()).append("\n  last lines of its log:\n").append(node.tail(30).indent(4));
        }
        AssertionError error = new AssertionError(message.toString(), failure);
        error.setStackTrace(failure.getStackTrace());
        throw error;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            nodes.forEach(NodeProcess::close);
        } finally {
            if (karaf != null) {
                karaf.close();
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + p, e);
                }
            });
        }
    }
}
