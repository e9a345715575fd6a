package org.ringchat.compare;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory for one cell's or one measurement's nodes, deleted with all it holds when closed: each
 * run writes a hundred megabytes and more of message logs, which were left behind in /tmp before.
 */
final class ScratchDirectory implements AutoCloseable {

    private final Path path;

    ScratchDirectory(String prefix) {
        try {
            path = Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path() {
        return path;
    }

    /** Deletes the directory; a failure is told on the error stream and does not cost the run its results. */
    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not delete " + path + ": " + e.getMessage());
        }
    }
}
