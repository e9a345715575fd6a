package org.ringchat.itests.processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The node processes of one test, as a JUnit 5 extension ({@code @RegisterExtension}).
 * <ul>
 * <li>Before each test: an empty work directory {@code <ringchat.itest.dir>/<TestClass>/<method>/}
 * for the nodes' data directories and logs (kept after the run, for debugging).</li>
 * <li>When a test fails: the failure is rethrown with the state and the last lines of every node's log
 * (commands, stdout, stderr) appended.</li>
 * <li>After each test: every node is killed.</li>
 * </ul>
 */
final class ProcessNodes implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {

    private static final int TAIL_LINES = 40;

    private final List<NodeProcess> nodes = new CopyOnWriteArrayList<>();
    private Path workDir;

    /** Creates and starts a node process; returns at once (its first command waits until it is up). */
    NodeProcess start(String name) {
        return create(name, NodeProcess.DEFAULT_JAVA_OPTS).start();
    }

    /** Creates a node process with the given {@code JAVA_OPTS}, not started yet, to be set up first. */
    NodeProcess create(String name, String javaOpts) {
        NodeProcess node = NodeProcess.create(name, workDir, javaOpts);
        nodes.add(node);
        return node;
    }

    /** Creates a node process run from {@code installation} with the given {@code JAVA_OPTS}, not started yet. */
    NodeProcess create(String name, String javaOpts, Path installation) {
        NodeProcess node = NodeProcess.create(name, workDir, javaOpts, installation);
        nodes.add(node);
        return node;
    }

    /**
     * Creates and starts a node process run from {@code installation} (see {@link #copyOfInstallation()});
     * returns at once.
     */
    NodeProcess start(String name, Path installation) {
        return create(name, NodeProcess.DEFAULT_JAVA_OPTS, installation).start();
    }

    /**
     * A copy of the distribution in the work directory, for a test that changes an installation (its
     * deploy/ directory, say) without touching the one every test shares.
     */
    Path copyOfInstallation() {
        Path source = NodeProcess.distribution();
        Path target = workDir.resolve("ringchat");
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path p : paths.toList()) {
                Path copy = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(p, copy, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " to " + target, e);
        }
        return target;
    }

    Path workDir() {
        return workDir;
    }

    /** Every node's state and the end of its log. */
    String diagnostics() {
        return diagnostics(null);
    }

    /** Every node's state and the end of its log, but only the state of the node named {@code shown}. */
    private String diagnostics(String shown) {
        StringBuilder text = new StringBuilder("Node processes (work directory " + workDir + "):");
        for (NodeProcess node : nodes) {
            if (node.name().equals(shown)) {
                text.append("\n\n").append(node.describe()).append(": the end of its log is above");
                continue;
            }
            text.append("\n\n").append(node.describe()).append("\n  last ").append(TAIL_LINES)
                    .append(" lines of its log:\n").append(node.tail(TAIL_LINES).indent(4));
        }
        return text.toString();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Path base = Path.of(System.getProperty("ringchat.itest.dir", "target/process-tests"));
        workDir = base.resolve(context.getRequiredTestClass().getSimpleName())
                .resolve(context.getRequiredTestMethod().getName()).toAbsolutePath();
        deleteRecursively(workDir);
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (nodes.isEmpty()) {
            throw failure;
        }
        String shown = null;
        String message;
        if (failure instanceof NodeProcess.NodeProcessException e) {
            shown = e.node();
            message = e.getMessage();
        } else {
            message = failure instanceof AssertionError ? failure.getMessage() : failure.toString();
        }
        throw new AssertionError(message + "\n\n" + diagnostics(shown), failure);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<RuntimeException> problems = new ArrayList<>();
        for (NodeProcess node : nodes) {
            try {
                node.close();
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

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir, e);
        }
    }
}
