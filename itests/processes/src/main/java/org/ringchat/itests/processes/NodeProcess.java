package org.ringchat.itests.processes;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One ringchat node as a separate {@code bin/ringchat} process of the assembled distribution, driven
 * through its standard input.
 * <p>
 * The process runs {@code <distribution>/bin/ringchat --data <dir> --listen 127.0.0.1:<port>} with stdin
 * a pipe, so the node is in script mode: it executes each line written to its stdin as a shell command,
 * prints the output on stdout and failures as {@code error: ...} on stderr, and stops cleanly at the end
 * of its input. The distribution is the directory named by the system property
 * {@value #DISTRIBUTION_PROPERTY} (the itests/processes pom sets it).
 * <p>
 * <b>Commands and their output.</b> {@link #run(String)} writes the command followed by two marker
 * lines: {@code echo __itest_done_<n>__}, which prints a marker on stdout, and {@code __itest_err_<n>__},
 * a command that does not exist, so that the script prints {@code error: unknown command
 * '__itest_err_<n>__'; ...} on stderr (the node runs with {@code --keep-going}, so the script goes on). The script runs its lines one after the other, so once both markers
 * have arrived, the lines between the previous markers and these are exactly what the command printed
 * on each stream. Reader threads collect both streams; waiting is on a monitor, with a deadline, never
 * by polling. Stderr also carries the node's log (java.util.logging, one line per record).
 * <p>
 * <b>Readiness.</b> Script mode waits for the node's {@code GroupChat} service before it executes the
 * first line, so the first command of a process is the readiness check: it gets
 * {@link #STARTUP_TIMEOUT} on top of its own timeout. {@link #address()} (the {@code id} command) is the
 * natural first command.
 * <p>
 * <b>Lifecycle.</b> {@link #start()} starts the process and returns at once. {@link #kill()} sends
 * SIGKILL ({@code bin/ringchat} {@code exec}s java, so the process is the JVM; any descendant is killed
 * too). {@link #stop()} closes stdin, so the node shuts down cleanly, and waits for it to exit.
 * {@link #restart()} starts it again with the same data directory and port. {@link #close()} kills it.
 * Every process still running when the JVM exits is killed by a shutdown hook; and should the test JVM
 * itself be killed, the node sees the end of its stdin and stops by itself.
 * <p>
 * <b>Logs.</b> Everything written to the process and read from it goes, with a timestamp, to a log
 * file per node ({@code in |}, {@code out|}, {@code err|} lines, and {@code ---} for lifecycle events),
 * kept across restarts; {@link #tail(int)} gives its last lines for failure messages.
 * <p>
 * <b>Network namespaces.</b> {@link #inNetworkNamespace(String, String, String)} runs the node in a
 * network namespace ({@code ip netns exec NAME bin/ringchat ...}), listening on an address of that
 * namespace instead of 127.0.0.1. {@code ip netns exec} executes the command in place of itself, so the
 * process is still the node's JVM.
 * <p>
 * Thread-safe. Commands must be complete, single lines: a command that leaves a brace or quote open
 * would swallow the markers.
 */
public final class NodeProcess implements AutoCloseable {

    /** System property: the assembled distribution (the directory holding {@code bin/ringchat}). */
    public static final String DISTRIBUTION_PROPERTY = "ringchat.distribution";
    /** How long a node may take to come up, on top of the first command's timeout. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    /** Timeout of {@link #run(String)}: longer than the shell's own waits (15 s for a send or invite). */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** How long {@link #stop()} waits for the node to exit, and {@link #kill()} for it to die. */
    public static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    /** JVM options of the nodes: small heaps, and few GC threads when several nodes share 2 cores. */
    public static final String DEFAULT_JAVA_OPTS = "-Xmx256m -XX:+UseSerialGC";

    private static final String DONE_PREFIX = "__itest_done_";
    private static final String ERR_PREFIX = "__itest_err_";
    private static final Pattern DONE_MARKER = Pattern.compile(DONE_PREFIX + "(\\d+)__");
    private static final Pattern ERR_MARKER = Pattern.compile(ERR_PREFIX + "(\\d+)__");
    private static final Pattern STACK_FRAME = Pattern.compile("\\S+ err\\| \\s+(at |\\.\\.\\. \\d+ more).*");
    private static final Pattern ADDRESS = Pattern.compile("[a-z2-7]{52}@\\S+:\\d+");
    private static final int RECENT_LINES = 500;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    private static final Object END_OF_INPUT = new Object();

    private static final Set<NodeProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(NodeProcess::destroyNow),
                "ringchat-itest-process-reaper"));
    }

    private final String name;
    private final Path distribution;
    private final Path dataDir;
    private final Path logFile;
    private final int port;
    private final String javaOpts;
    /** The --http option: off, or the web page's HOST:PORT. */
    private String http = "off";
    /** What runs bin/ringchat: nothing, or {@code ip netns exec NAME}. */
    private List<String> launcher = List.of();
    private String host = "127.0.0.1";
    /** The --advertise option's HOST:PORT, or null for the listen address. */
    private String advertise;
    private final List<String> errors = new CopyOnWriteArrayList<>();

    private final Object logLock = new Object();
    private final Writer log; // guarded by logLock
    private final ArrayDeque<String> recent = new ArrayDeque<>(); // guarded by logLock
    private boolean closed; // guarded by logLock

    private volatile Incarnation current; // written under this
    private int starts; // guarded by this

    private NodeProcess(String name, Path distribution, Path dataDir, Path logFile, int port, String javaOpts) {
        this.name = name;
        this.distribution = distribution;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.port = port;
        this.javaOpts = javaOpts;
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            this.log = Files.newBufferedWriter(logFile, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dataDir + " or " + logFile, e);
        }
    }

    /**
     * A node named {@code name} with data directory {@code workDir/name}, log file
     * {@code workDir/name.log}, a free port of its own and {@link #DEFAULT_JAVA_OPTS}; not started yet.
     */
    public static NodeProcess create(String name, Path workDir) {
        return create(name, workDir, DEFAULT_JAVA_OPTS);
    }

    /** As {@link #create(String, Path)}, with the given {@code JAVA_OPTS} for the node's JVM. */
    public static NodeProcess create(String name, Path workDir, String javaOpts) {
        return create(name, workDir, javaOpts, distribution());
    }

    /** As {@link #create(String, Path, String)}, run from the installation {@code distribution} (a copy, say). */
    public static NodeProcess create(String name, Path workDir, String javaOpts, Path distribution) {
        Path dir = workDir.toAbsolutePath().normalize();
        return new NodeProcess(name, distribution, dir.resolve(name), dir.resolve(name + ".log"), Ports.pick(), javaOpts);
    }

    /**
     * The distribution named by {@value #DISTRIBUTION_PROPERTY}, checked.
     *
     * @throws IllegalStateException with what to do, when the property is not set or the distribution not built
     */
    public static Path distribution() {
        String value = System.getProperty(DISTRIBUTION_PROPERTY);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + DISTRIBUTION_PROPERTY + " is not set: it names the"
                    + " assembled distribution, distribution/target/ringchat. Run these tests through Maven"
                    + " (mvn verify -pl itests/processes -am), or set it, e.g. -D" + DISTRIBUTION_PROPERTY
                    + "=/path/to/checkout/distribution/target/ringchat");
        }
        Path dir = Path.of(value).toAbsolutePath().normalize();
        Path script = dir.resolve("bin/ringchat");
        if (!Files.isRegularFile(script) || !Files.isRegularFile(dir.resolve("bin/felix.jar"))) {
            throw new IllegalStateException("no ringchat distribution at " + dir + " (" + DISTRIBUTION_PROPERTY
                    + "): bin/ringchat or bin/felix.jar is missing. Build it first: mvn install -DskipTests"
                    + " at the root, or mvn verify -pl itests/processes -am");
        }
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException(script + " is not executable: rebuild the distribution"
                    + " (mvn install -pl distribution) or chmod +x it");
        }
        return dir;
    }

    /**
     * Serves the node's web page at {@code hostPort} from the next start on; by default it has none
     * ({@code --http off}), so that nodes started side by side do not compete for a port.
     *
     * @return this node
     */
    public synchronized NodeProcess http(String hostPort) {
        http = hostPort;
        return this;
    }

    /**
     * Runs the node in the network namespace {@code namespace} from the next start on, listening (and so
     * reachable) on {@code host}, an address of that namespace: the command becomes {@code <ip> netns exec
     * <namespace> bin/ringchat ... --listen <host>:<port>}.
     *
     * @param ip the {@code ip} command (iproute2), e.g. {@code /usr/sbin/ip}
     * @return this node
     */
    public synchronized NodeProcess inNetworkNamespace(String ip, String namespace, String host) {
        this.launcher = List.of(ip, "netns", "exec", namespace);
        this.host = host;
        return this;
    }

    /**
     * Has the node advertise {@code hostPort} as the address others dial ({@code --advertise}) from the next
     * start on, as a node behind a forwarder or a NAT must.
     *
     * @return this node
     */
    public synchronized NodeProcess advertise(String hostPort) {
        this.advertise = hostPort;
        return this;
    }

    // ------------------------------------------------------------------------------------ lifecycle

    /**
     * Starts the process (again, after {@link #kill()} or {@link #stop()}, with the same data
     * directory and port) and returns at once; the first command waits until the node is up.
     *
     * @return this node
     * @throws IllegalStateException when it is running, or its port is taken
     */
    public synchronized NodeProcess start() {
        synchronized (logLock) {
            if (closed) {
                throw new IllegalStateException("node " + name + " is closed");
            }
        }
        if (current != null && current.process.isAlive()) {
            throw new IllegalStateException("node " + name + " is running already (pid " + current.process.pid() + ")");
        }
        // in a namespace of its own, the port is the node's alone
        if (launcher.isEmpty() && !Ports.isFree(port)) {
            throw new IllegalStateException("node " + name + " cannot start: its port 127.0.0.1:" + port
                    + " is in use by another process");
        }
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(distribution.resolve("bin/ringchat").toString(),
                "--data", dataDir.toString(), "--listen", listen(), "--http", http, "--keep-going"));
        if (advertise != null) {
            command.addAll(List.of("--advertise", advertise));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(dataDir.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("JAVA_OPTS", javaOpts);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        starts++;
        current = new Incarnation(starts, process);
        LIVE.add(this);
        event("started (#" + starts + ", pid " + process.pid() + "): JAVA_OPTS='" + javaOpts + "' "
                + String.join(" ", command));
        current.startThreads();
        return this;
    }

    /**
     * Kills the process with SIGKILL, and any process it started, then waits until it is gone and
     * all its output is read. Does nothing when it is not running.
     */
    public void kill() {
        Incarnation inc;
        synchronized (this) {
            inc = current;
        }
        if (inc == null) {
            return;
        }
        if (inc.process.isAlive()) {
            List<ProcessHandle> descendants = inc.process.descendants().toList();
            inc.process.destroyForcibly(); // SIGKILL on Unix
            descendants.forEach(ProcessHandle::destroyForcibly);
            int status = awaitExit(inc, EXIT_TIMEOUT, "SIGKILL");
            event("killed with SIGKILL; exit status " + status);
        }
        inc.finish();
        LIVE.remove(this);
    }

    /** Stops the node cleanly ({@link #stop(Duration)} with {@link #EXIT_TIMEOUT}). */
    public int stop() {
        return stop(EXIT_TIMEOUT);
    }

    /**
     * Closes the node's stdin, after the commands already submitted, so that it stops cleanly, and
     * waits for it to exit.
     *
     * @return its exit status (0 for a clean stop)
     * @throws NodeProcessException when it does not exit in time (it is killed then)
     */
    public int stop(Duration timeout) {
        Incarnation inc;
        synchronized (this) {
            inc = current;
            if (inc == null) {
                throw new IllegalStateException("node " + name + " was never started");
            }
            inc.input.add(END_OF_INPUT);
        }
        event("end of input: stopping");
        int status;
        try {
            if (!inc.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                String message = "did not exit within " + timeout.toSeconds() + " s after the end of its input; killed it";
                kill();
                throw failure(message);
            }
            status = inc.process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping node " + name, e);
        }
        event("exited with status " + status);
        inc.finish();
        LIVE.remove(this);
        return status;
    }

    /** Stops the node cleanly if it is running, then starts it again with the same data directory and port. */
    public NodeProcess restart() {
        if (isRunning()) {
            int status = stop();
            if (status != 0) {
                throw failure("exited with status " + status + " on a clean stop before the restart");
            }
        }
        return start();
    }

    /** Kills the node if it is running, and closes its log file; {@link #tail(int)} still works. */
    @Override
    public void close() {
        try {
            kill();
        } finally {
            synchronized (logLock) {
                closed = true;
                try {
                    log.close();
                } catch (IOException e) {
                    // nothing to do about it
                }
            }
        }
    }

    /** Whether the process is alive. */
    public synchronized boolean isRunning() {
        return current != null && current.process.isAlive();
    }

    // ------------------------------------------------------------------------------------ commands

    /** Runs one command with {@link #COMMAND_TIMEOUT} and returns what it printed on stdout. */
    public List<String> run(String command) {
        return submit(command).await(COMMAND_TIMEOUT).stdout();
    }

    /** Runs one command and returns what it printed on stdout and stderr. */
    public Output exec(String command, Duration timeout) {
        return submit(command).await(timeout);
    }

    /**
     * Writes the commands to the node's stdin, followed by the markers, without waiting; the script
     * executes them one after the other. {@link Batch#await(Duration)} waits for all of them.
     */
    public Batch submit(String... commands) {
        return submit(List.of(commands));
    }

    /** As {@link #submit(String...)}. */
    public synchronized Batch submit(List<String> commands) {
        for (String command : commands) {
            if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("one command per line: " + command);
            }
        }
        Incarnation inc = current;
        if (inc == null || !inc.process.isAlive()) {
            throw failure("is not running; cannot run " + describe(commands));
        }
        int marker = inc.nextMarker++;
        for (String command : commands) {
            inc.input.add(command);
            record("in | " + command);
        }
        inc.input.add("echo " + DONE_PREFIX + marker + "__");
        inc.input.add(ERR_PREFIX + marker + "__");
        return new Batch(inc, marker, describe(commands));
    }

    /**
     * Puts the node in chat mode on {@code group} ({@code chat <group>}): from then on it prints the group's
     * messages on stdout as they arrive ({@link #awaitStdout} waits for them), and takes no more commands, since
     * every line written to it would be a message.
     */
    public synchronized void enterChat(String group) {
        Incarnation inc = current;
        if (inc == null || !inc.process.isAlive()) {
            throw failure("is not running; cannot chat in " + group);
        }
        inc.input.add("chat " + group);
        record("in | chat " + group);
    }

    /**
     * Waits until at least {@code count} lines that this process (the current run) printed on stdout
     * match, and returns them all.
     *
     * @throws NodeProcessException on timeout, or when the process ends first
     */
    public List<String> awaitStdout(String what, Predicate<String> line, int count, Duration timeout) {
        Incarnation inc;
        synchronized (this) {
            inc = current;
        }
        if (inc == null) {
            throw failure("was never started; cannot wait for " + what);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            List<String> matching = inc.out.awaitMatching(line, count, deadline);
            if (matching.size() >= count) {
                return matching;
            }
            throw failure((inc.out.ended() ? "ended" : "timed out after " + timeout.toSeconds() + " s")
                    + " while waiting for " + count + " lines of " + what + " on stdout; got " + matching.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what + " at node " + name, e);
        }
    }

    /** The node's address ({@code <peerId>@<host>:<port>}), by the {@code id} command, once per run. */
    public String address() {
        Incarnation inc;
        synchronized (this) {
            inc = current;
        }
        if (inc != null && inc.address != null && inc.process.isAlive()) {
            return inc.address;
        }
        List<String> out = run("id");
        String address = out.stream().filter(l -> ADDRESS.matcher(l.strip()).matches()).map(String::strip)
                .reduce((a, b) -> b).orElseThrow(() -> failure("'id' printed no address: " + out));
        synchronized (this) {
            if (current != null) {
                current.address = address;
            }
        }
        return address;
    }

    /** The peer ID: the address before the {@code @}. */
    public String peerId() {
        String address = address();
        return address.substring(0, address.indexOf('@'));
    }

    /** The peer ID's first 8 characters, as the shell shows authors. */
    public String shortId() {
        return peerId().substring(0, 8);
    }

    /** Every {@code error: ...} line the node printed on stderr, over all its runs (markers left out). */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** All stdout lines of the current (or last) run, markers left out. */
    public synchronized List<String> stdout() {
        return current == null ? List.of() : current.out.lines();
    }

    /** All stderr lines of the current (or last) run (the node's log and its errors), markers left out. */
    public synchronized List<String> stderr() {
        return current == null ? List.of() : current.err.lines();
    }

    // ------------------------------------------------------------------------------------ facts

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** {@code <host>:<port>}: {@code 127.0.0.1:<port>} unless the node runs in a network namespace. */
    public synchronized String listen() {
        return host + ":" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** PID of the current (or last) run. */
    public synchronized long pid() {
        if (current == null) {
            throw new IllegalStateException("node " + name + " was never started");
        }
        return current.process.pid();
    }

    /** The executable of the running process, as the OS reports it (the java binary, as bin/ringchat execs it). */
    public synchronized Optional<String> command() {
        return current == null ? Optional.empty() : current.process.info().command();
    }

    /** Exit status of the last run, if it has ended. */
    public synchronized Optional<Integer> exitStatus() {
        if (current == null || current.process.isAlive()) {
            return Optional.empty();
        }
        return Optional.of(current.process.exitValue());
    }

    /** One line: name, state, port, data directory, log file. */
    public synchronized String describe() {
        String state;
        if (current == null) {
            state = "never started";
        } else if (current.process.isAlive()) {
            state = "running, pid " + current.process.pid() + ", run #" + current.number;
        } else {
            state = "exited with status " + current.process.exitValue() + ", pid " + current.process.pid()
                    + ", run #" + current.number;
        }
        return "node " + name + " (" + state + ", " + listen() + ", data " + dataDir + ", log " + logFile + ")";
    }

    /**
     * The last {@code lines} lines of the node's log: commands in, stdout, stderr, lifecycle events;
     * the frames of a stack trace are counted, not shown (the log file has them).
     */
    public String tail(int lines) {
        List<String> all;
        synchronized (logLock) {
            all = new ArrayList<>(recent);
        }
        List<String> shown = new ArrayList<>();
        int frames = 0;
        for (String line : all) {
            if (STACK_FRAME.matcher(line).matches()) {
                frames++;
                continue;
            }
            if (frames > 0) {
                shown.add("             err|     (" + frames + " lines of stack trace)");
                frames = 0;
            }
            shown.add(line);
        }
        if (frames > 0) {
            shown.add("             err|     (" + frames + " lines of stack trace)");
        }
        return String.join("\n", shown.subList(Math.max(0, shown.size() - lines), shown.size()));
    }

    @Override
    public String toString() {
        return describe();
    }

    // ------------------------------------------------------------------------------------ internals

    private NodeProcessException failure(String message) {
        return new NodeProcessException(name, "node " + name + " " + message + "\n" + describe()
                + "\n  last lines of its log:\n" + tail(30).indent(4));
    }

    private static String describe(List<String> commands) {
        if (commands.size() == 1) {
            return "'" + commands.get(0) + "'";
        }
        return commands.size() + " commands ('" + (commands.isEmpty() ? "" : commands.get(0)) + "', ...)";
    }

    private int awaitExit(Incarnation inc, Duration timeout, String what) {
        try {
            if (!inc.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw failure("(pid " + inc.process.pid() + ") still runs " + timeout.toSeconds() + " s after " + what);
            }
            return inc.process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for node " + name + " to exit", e);
        }
    }

    private void destroyNow() {
        Incarnation inc = current; // no lock: the JVM is exiting, do not block on a lock held by a test thread
        if (inc != null && inc.process.isAlive()) {
            inc.process.descendants().forEach(ProcessHandle::destroyForcibly);
            inc.process.destroyForcibly();
        }
    }

    private void event(String text) {
        record("--- " + text);
    }

    private void record(String line) {
        String stamped = LocalTime.now().format(TIME) + " " + line;
        synchronized (logLock) {
            recent.addLast(stamped);
            if (recent.size() > RECENT_LINES) {
                recent.removeFirst();
            }
            if (closed) {
                return;
            }
            try {
                log.write(stamped);
                log.write('\n');
                log.flush();
            } catch (IOException e) {
                // the log is for debugging only; the in-memory tail still has it
            }
        }
    }

    /** One run of the process. */
    private final class Incarnation {
        final int number;
        final Process process;
        final LineBuffer out = new LineBuffer();
        final LineBuffer err = new LineBuffer();
        final BlockingQueue<Object> input = new LinkedBlockingQueue<>();
        final Thread outReader;
        final Thread errReader;
        final Thread writer;
        int nextMarker = 1; // guarded by NodeProcess.this
        volatile boolean up; // a command has completed
        volatile String address;

        Incarnation(int number, Process process) {
            this.number = number;
            this.process = process;
            String prefix = "ringchat-itest-" + name + "#" + number;
            this.outReader = daemon(() -> read(process.getInputStream(), out, "out| ", DONE_MARKER), prefix + "-stdout");
            this.errReader = daemon(() -> read(process.getErrorStream(), err, "err| ", ERR_MARKER), prefix + "-stderr");
            this.writer = daemon(this::write, prefix + "-stdin");
        }

        void startThreads() {
            outReader.start();
            errReader.start();
            writer.start();
        }

        private Thread daemon(Runnable task, String threadName) {
            Thread t = new Thread(task, threadName);
            t.setDaemon(true);
            return t;
        }

        private void read(InputStream stream, LineBuffer buffer, String tag, Pattern marker) {
            boolean stdout = buffer == out;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    record(tag + line);
                    Matcher m = marker.matcher(line);
                    if (m.find()) {
                        // stdout: the echoed marker, possibly after output that lacked its newline;
                        // stderr: "error: unknown command '__itest_err_<n>__'; ...", all of it ours
                        String before = line.substring(0, m.start());
                        if (stdout && !before.isBlank()) {
                            buffer.add(before);
                        }
                        buffer.marker(Integer.parseInt(m.group(1)));
                    } else {
                        if (!stdout && line.startsWith("error: ")) {
                            errors.add(line);
                        }
                        buffer.add(line);
                    }
                }
            } catch (IOException e) {
                record("--- reading " + tag.strip() + " failed: " + e);
            } finally {
                buffer.end();
            }
        }

        private void write() {
            try (Writer w = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), UTF_8))) {
                while (true) {
                    Object item = input.take();
                    if (item == END_OF_INPUT) {
                        break; // closing stdin ends the script: the node stops
                    }
                    w.write((String) item);
                    w.write('\n');
                    if (input.isEmpty()) {
                        w.flush();
                    }
                }
            } catch (IOException e) {
                if (process.isAlive()) {
                    record("--- writing to stdin failed: " + e);
                }
            } catch (InterruptedException e) {
                // finished: the process is gone
            }
        }

        /** After the process has ended: stop writing, and let the readers take in the rest of the output. */
        void finish() {
            writer.interrupt();
            try {
                outReader.join(TimeUnit.SECONDS.toMillis(10));
                errReader.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Commands written to a node; {@link #await(Duration)} waits until the node has executed them. */
    public final class Batch {
        private final Incarnation inc;
        private final int marker;
        private final String description;

        private Batch(Incarnation inc, int marker, String description) {
            this.inc = inc;
            this.marker = marker;
            this.description = description;
        }

        /**
         * Waits until the node has executed the commands, at most {@code timeout} (plus
         * {@link NodeProcess#STARTUP_TIMEOUT} while the node has not completed a command yet).
         *
         * @return what they printed
         * @throws NodeProcessException when the node does not finish them in time, or exits first
         */
        public Output await(Duration timeout) {
            Duration allowed = inc.up ? timeout : timeout.plus(STARTUP_TIMEOUT);
            long deadline = System.nanoTime() + allowed.toNanos();
            try {
                int outEnd = inc.out.awaitMarker(marker, deadline);
                int errEnd = outEnd >= 0 ? inc.err.awaitMarker(marker, deadline) : outEnd;
                if (outEnd == LineBuffer.ENDED || errEnd == LineBuffer.ENDED) {
                    try {
                        inc.process.waitFor(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw failure("ended before it finished " + description);
                }
                if (outEnd < 0 || errEnd < 0) {
                    throw failure("did not finish " + description + " within " + allowed.toSeconds() + " s"
                            + (inc.up ? "" : " (including the start of the node)"));
                }
                inc.up = true;
                return new Output(inc.out.slice(inc.out.markerPosition(marker - 1), outEnd),
                        inc.err.slice(inc.err.markerPosition(marker - 1), errEnd));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while node " + name + " ran " + description, e);
            }
        }

        /** Whether the run of the process that got these commands has ended (killed, say); a restart is another run. */
        public boolean ended() {
            return !inc.process.isAlive();
        }

        /**
         * What the commands printed on stdout, if the node has run them all: its stdout marker came back,
         * even if the process died before the stderr marker (a node killed just after a command, which
         * {@link #await} reports as a failure). Empty when it has not run them (yet). Does not wait.
         */
        public Optional<List<String>> finishedStdout() {
            if (!inc.out.hasMarker(marker)) {
                return Optional.empty();
            }
            return Optional.of(inc.out.slice(inc.out.markerPosition(marker - 1), inc.out.markerPosition(marker)));
        }
    }

    /** What commands printed: stdout and stderr lines, markers left out. */
    public record Output(List<String> stdout, List<String> stderr) {

        /** The {@code error: ...} lines on stderr. */
        public List<String> errors() {
            return stderr.stream().filter(l -> l.startsWith("error: ")).toList();
        }
    }

    /** Lines of one stream, and where each marker arrived. */
    private static final class LineBuffer {
        static final int ENDED = -1;
        static final int TIMED_OUT = -2;

        private final List<String> lines = new ArrayList<>();
        private final Map<Integer, Integer> markers = new HashMap<>();
        private boolean ended;

        synchronized void add(String line) {
            lines.add(line);
            notifyAll();
        }

        synchronized void marker(int n) {
            markers.put(n, lines.size());
            notifyAll();
        }

        synchronized void end() {
            ended = true;
            notifyAll();
        }

        synchronized boolean ended() {
            return ended;
        }

        synchronized List<String> lines() {
            return List.copyOf(lines);
        }

        synchronized List<String> slice(int from, int to) {
            return List.copyOf(lines.subList(from, to));
        }

        synchronized boolean hasMarker(int n) {
            return markers.containsKey(n);
        }

        /** Where marker {@code n} arrived; 0 for marker 0 (the start). */
        synchronized int markerPosition(int n) {
            return n <= 0 ? 0 : markers.getOrDefault(n, 0);
        }

        /** Where marker {@code n} arrived, or {@link #ENDED} / {@link #TIMED_OUT}. */
        synchronized int awaitMarker(int n, long deadline) throws InterruptedException {
            while (true) {
                Integer at = markers.get(n);
                if (at != null) {
                    return at;
                }
                if (ended) {
                    return ENDED;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return TIMED_OUT;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /** The matching lines, once there are {@code count} of them, or all there are when the stream ended or time ran out. */
        synchronized List<String> awaitMatching(Predicate<String> predicate, int count, long deadline)
                throws InterruptedException {
            int scanned = 0;
            List<String> matching = new ArrayList<>();
            while (true) {
                for (; scanned < lines.size(); scanned++) {
                    if (predicate.test(lines.get(scanned))) {
                        matching.add(lines.get(scanned));
                    }
                }
                if (matching.size() >= count || ended) {
                    return matching;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return matching;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    /** A node process did not do what was asked in time, or ended; the message has the end of its log. */
    public static final class NodeProcessException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String node;

        NodeProcessException(String node, String message) {
            super(message);
            this.node = node;
        }

        /** The name of the node; the message has the end of its log already. */
        public String node() {
            return node;
        }
    }
}
