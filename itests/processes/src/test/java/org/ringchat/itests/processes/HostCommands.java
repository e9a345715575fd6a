package org.ringchat.itests.processes;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The host's system commands ({@code ip}, {@code iptables}, ...) as the lab runs them: found, run, checked. */
final class HostCommands {

    /** What a command printed (stdout and stderr, stripped) and its exit status. */
    record Result(int status, String output) {
    }

    private HostCommands() {
    }

    /** Runs {@code command} to its end, its input empty. */
    static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8).strip();
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** Runs {@code command}; one that fails throws with its output. */
    static void check(List<String> command) {
        Result result = run(command);
        if (result.status() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.status() + "): " + result.output());
        }
    }

    /** An executable {@code name} in PATH, /usr/sbin or /sbin (where iproute2 lives, often not in a user's PATH). */
    static Optional<String> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/sbin", "/sbin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }

    /** The effective user ID, from /proc; empty where there is no /proc (not Linux). */
    static Optional<String> effectiveUid() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return Optional.empty();
        }
        try {
            // "Uid:	real	effective	saved	filesystem"
            return Files.readAllLines(status).stream().filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+")[2]).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + status, e);
        }
    }
}
