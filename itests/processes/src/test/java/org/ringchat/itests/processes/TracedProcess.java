package org.ringchat.itests.processes;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@code bin/ringchat} process started with any arguments (a headless node, a demo), for the tests
 * that {@link NodeProcess}, which runs nodes in script mode, does not cover. Its stdout and stderr are
 * collected line by line, and written with timestamps ({@code out|}, {@code err|}, {@code ---} for
 * events) to a log file; waits are on those lines, with deadlines.
 */
final class TracedProcess implements AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final Process process;
    private final Writer log;
    private final Lines stdout = new Lines("stdout");
    private final Lines stderr = new Lines("stderr");
    private final Thread outReader;
    private final Thread errReader;

    private TracedProcess(Process process, Writer log) {
        this.process = process;
        this.log = log;
        this.outReader = reader(process.getInputStream(), stdout, "out| ");
        this.errReader = reader(process.getErrorStream(), stderr, "err| ");
    }

    /**
     * Starts {@code <distribution>/bin/ringchat} with {@code arguments}, stdin read from {@code input}
     * (a file, {@code /dev/null} say), JAVA_HOME this JVM's; the log goes to {@code logFile}.
     */
    static TracedProcess start(Path logFile, Path input, List<String> arguments) {
        return start(logFile, input, arguments, Map.of());
    }

    /** As {@link #start(Path, Path, List)}, with these environment variables besides (JAVA_OPTS, say). */
    static TracedProcess start(Path logFile, Path input, List<String> arguments, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(bin());
        command.addAll(arguments);
        return startCommand(logFile, input, command, environment);
    }

    /** The path of {@code bin/ringchat} in the distribution. */
    static String bin() {
        return NodeProcess.distribution().resolve("bin/ringchat").toString();
    }

    /** As {@link #start(Path, Path, List, Map)}, running {@code command}, which starts bin/ringchat its own way. */
    static TracedProcess startCommand(Path logFile, Path input, List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(input.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            Writer log = Files.newBufferedWriter(logFile, UTF_8);
            TracedProcess traced = new TracedProcess(builder.start(), log);
            traced.event("started (pid " + traced.pid() + "): " + String.join(" ", command));
            traced.outReader.start();
            traced.errReader.start();
            return traced;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    long pid() {
        return process.pid();
    }

    Lines stdout() {
        return stdout;
    }

    Lines stderr() {
        return stderr;
    }

    /** The processes this one started, running now. */
    List<ProcessHandle> children() {
        return process.children().toList();
    }

    /** Sends this process a signal ({@code TERM}, {@code INT}, {@code KILL}, ...). */
    void signal(String name) {
        event("sending SIG" + name);
        signal(pid(), name);
    }

    /** Sends process {@code pid} a signal with kill(1). */
    static void signal(long pid, String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits for the process to exit, and for both streams to end.
     *
     * @return its exit status
     * @throws AssertionError when it still runs after {@code timeout}
     */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("process " + pid() + " still runs " + timeout.toSeconds() + " s later");
            }
            outReader.join(TimeUnit.SECONDS.toMillis(10));
            errReader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        event("exited with status " + process.exitValue());
        return process.exitValue();
    }

    /** Kills the process and what it started, if they still run, and closes the log. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (log) {
            try {
                log.close();
            } catch (IOException e) {
                // the log is for debugging only
            }
        }
    }

    private Thread reader(InputStream stream, Lines lines, String tag) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    record(tag + line);
                    lines.add(line);
                }
            } catch (IOException e) {
                record("--- reading " + lines.name + " failed: " + e);
            } finally {
                lines.end();
            }
        }, "traced-" + lines.name);
        thread.setDaemon(true);
        return thread;
    }

    private void event(String text) {
        record("--- " + text);
    }

    private void record(String line) {
        synchronized (log) {
            try {
                log.write(LocalTime.now().format(TIME) + " " + line + "\n");
                log.flush();
            } catch (IOException e) {
                // the log is for debugging only
            }
        }
    }

    /** The lines of one stream so far. */
    static final class Lines {
        private final String name;
        private final List<String> lines = new ArrayList<>();
        private boolean ended;

        Lines(String name) {
            this.name = name;
        }

        synchronized void add(String line) {
            lines.add(line);
            notifyAll();
        }

        synchronized void end() {
            ended = true;
            notifyAll();
        }

        synchronized List<String> all() {
            return List.copyOf(lines);
        }

        /**
         * Waits until a line matches, and returns it.
         *
         * @throws AssertionError with the lines so far, when the stream ends or time runs out first
         */
        synchronized String await(String what, Predicate<String> line, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            int scanned = 0;
            try {
                while (true) {
                    for (; scanned < lines.size(); scanned++) {
                        if (line.test(lines.get(scanned))) {
                            return lines.get(scanned);
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (ended || left <= 0) {
                        throw new AssertionError((ended ? name + " ended" : "timed out after " + timeout.toSeconds() + " s")
                                + " before " + what + "; " + name + " so far:\n  " + String.join("\n  ", lines));
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
