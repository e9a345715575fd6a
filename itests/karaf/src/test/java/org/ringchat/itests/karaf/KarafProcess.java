package org.ringchat.itests.karaf;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.ringchat.itests.processes.Ports;

/**
 * A stock Apache Karaf as a process of its own, driven over its SSH console.
 * <p>
 * {@link #create} takes a Karaf as unpacked from its distribution and changes only what a test run
 * needs: SSH, RMI and Pax Web's HTTP on free ports of 127.0.0.1, a console user with a random password, the
 * Maven local repository that this build installed into, and the ringchat node's configuration
 * ({@code etc/org.ringchat.node.cfg}, as a user would write it). {@link #start()} runs
 * {@code bin/karaf server} with {@code KARAF_EXEC=exec}, so the process is Karaf's JVM and nothing
 * is left behind when it is killed.
 * <p>
 * Each command runs on the exec channel of an SSH session of its own: Karaf closes the session when the
 * command ends. On an exec channel, Karaf drops what a command writes to {@code System.err} (the ringchat
 * commands' {@code error:} lines), so every command runs with Gogo's {@code 2>&1}; Karaf's own error
 * messages come on stdout anyway. ({@code bin/client "command"} would not do: when its stdin is not a
 * terminal, it sees the end of stdin at once, closes the channel and prints nothing but {@code Closed}.)
 */
final class KarafProcess implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /** Pax Web's configuration (PID {@code org.ops4j.pax.web}), as written before Karaf's first start. */
    static final String PAX_WEB_CFG = "etc/org.ops4j.pax.web.cfg";

    private static final String USER = "itest";
    private static final String BOOT_FINISHED = "org.apache.karaf.features.BootFinished";
    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    private static final Pattern CFG_LINE = Pattern.compile("(?m)^(\\s*)([\\w.]+)(\\s*=).*$");
    private static final Set<KarafProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(KarafProcess::close), "ringchat-itest-karaf-reaper"));
    }

    private final Path home;
    private final Path console;
    private final int sshPort;
    private final int httpPort;
    private final String password = UUID.randomUUID().toString();
    private Process process;
    private SshClient client;

    private KarafProcess(Path home, Path console, int sshPort, int httpPort) {
        this.home = home;
        this.console = console;
        this.sshPort = sshPort;
        this.httpPort = httpPort;
    }

    /**
     * The Karaf unpacked at {@code home}, configured for this run, its console output going to
     * {@code workDir}; the ringchat node will listen on {@code nodeListen}.
     *
     * @throws IllegalStateException when there is no Karaf at {@code home}, or it has run before
     */
    static KarafProcess create(Path home, Path workDir, Path localRepository, String nodeListen) {
        if (!Files.isExecutable(home.resolve("bin/karaf"))) {
            throw new IllegalStateException("no Karaf at " + home + " (bin/karaf is missing or not executable): the"
                    + " build unpacks it there in pre-integration-test; run mvn install -pl itests/karaf");
        }
        if (Files.exists(home.resolve("data/cache"))) {
            throw new IllegalStateException("the Karaf at " + home + " has run before (it has data/cache): each run"
                    + " needs a stock one, which the build unpacks in pre-integration-test; run mvn install -pl itests/karaf");
        }
        KarafProcess karaf = new KarafProcess(home, workDir.resolve("karaf-console.log"), Ports.pick(), Ports.pick());
        karaf.set("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(karaf.sshPort));
        karaf.set("etc/org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1");
        karaf.set("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(Ports.pick()));
        karaf.set("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(Ports.pick()));
        karaf.append("etc/users.properties", USER + " = " + karaf.password + ",_g_:admingroup\n"
                + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");
        karaf.append("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository = " + localRepository + "\n");
        karaf.append("etc/org.ringchat.node.cfg", "data.dir = ${karaf.data}/ringchat\nlisten = " + nodeListen + "\n");
        // Pax Web's own defaults are port 8181 on all interfaces; a file that is there already is what Pax Web's
        // feature leaves as it is, as it would a user's
        karaf.append(PAX_WEB_CFG, "org.osgi.service.http.port = " + karaf.httpPort + "\n"
                + "org.ops4j.pax.web.listening.addresses = 127.0.0.1\n");
        return karaf;
    }

    Path home() {
        return home;
    }

    /** The port Pax Web listens on, at 127.0.0.1, once a feature has installed it. */
    int httpPort() {
        return httpPort;
    }

    /** Starts Karaf and waits until its boot features are installed and its console takes commands. */
    void start() {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(console.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("KARAF_EXEC", "exec");
        builder.environment().put("EXTRA_JAVA_OPTS", "-XX:+UseSerialGC");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + home.resolve("bin/karaf"), e);
        }
        LIVE.add(this);
        client = SshClient.setUpDefaultClient();
        // a fresh Karaf makes a new host key; the connection never leaves 127.0.0.1
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
        await("Karaf's console (SSH on 127.0.0.1:" + sshPort + ") with its boot features installed")
                .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .failFast("Karaf exited while starting", () -> !process.isAlive())
                .until(this::booted);
    }

    /** Whether the features service has installed the boot features; false while the SSH server is not up. */
    private boolean booted() {
        try {
            return exec("service:list " + BOOT_FINISHED).lines().contains("[" + BOOT_FINISHED + "]");
        } catch (UncheckedIOException e) {
            return false; // the next poll tries again
        }
    }

    /** Runs a command that must succeed (exit status 0, no {@code error:} line), and returns its lines. */
    List<String> run(String command) {
        Result result = exec(command);
        if (result.status() != 0 || result.lines().stream().anyMatch(l -> l.startsWith("error: "))) {
            throw new AssertionError("Karaf command failed: " + result);
        }
        return result.lines();
    }

    /** Runs a command on a new exec channel and returns what it printed, stdout and stderr, and its exit status. */
    Result exec(String command) {
        if (client == null) {
            throw new IllegalStateException("Karaf is not started; cannot run '" + command + "'");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ClientSession session = login(); ChannelExec channel = session.createExecChannel(command + " 2>&1")) {
            channel.setOut(out);
            channel.setErr(out);
            channel.open().verify(COMMAND_TIMEOUT);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), COMMAND_TIMEOUT);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw new AssertionError("Karaf command '" + command + "' did not end within "
                        + COMMAND_TIMEOUT.toSeconds() + " s; so far: " + plain(out));
            }
            Integer status = channel.getExitStatus();
            return new Result(command, plain(out), status == null ? -1 : status);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run '" + command + "' on Karaf's console", e);
        }
    }

    /** Opens Karaf's interactive console, on a terminal as {@code ssh} gives one: line editing, paging, completion. */
    Console console() {
        if (client == null) {
            throw new IllegalStateException("Karaf is not started; cannot open its console");
        }
        try {
            return new Console(login());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open Karaf's console", e);
        }
    }

    /** Karaf's console on a shell channel with a terminal: keys typed in, what the terminal shows read out. */
    static final class Console implements AutoCloseable {

        private final ClientSession session;
        private final ChannelShell channel;
        private final PipedOutputStream keys = new PipedOutputStream();
        private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        private int mark;

        private Console(ClientSession session) throws IOException {
            this.session = session;
            channel = session.createShellChannel();
            channel.setPtyType("xterm");
            channel.setPtyColumns(200);
            channel.setPtyLines(100);
            channel.setIn(new PipedInputStream(keys));
            channel.setOut(screen);
            channel.setErr(screen);
            channel.open().verify(COMMAND_TIMEOUT);
        }

        /** Types {@code text} (with {@code \t} for Tab, {@code \r} for Enter), after marking what was shown so far. */
        void type(String text) {
            mark = screen.size();
            try {
                keys.write(text.getBytes(UTF_8));
                keys.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot type into Karaf's console", e);
            }
        }

        /** Waits until what the console shows after the last {@link #type} (colours removed) meets {@code expected}. */
        String awaitShown(String what, Predicate<String> expected) {
            return await(what + " on Karaf's console").atMost(COMMAND_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(this::shown, expected);
        }

        private String shown() {
            byte[] all = screen.toByteArray();
            ByteArrayOutputStream since = new ByteArrayOutputStream();
            since.write(all, mark, all.length - mark);
            return plain(since);
        }

        @Override
        public void close() throws IOException {
            channel.close(true);
            session.close(true);
        }
    }

    /**
     * Shuts Karaf down cleanly ({@code system:shutdown -f}) and waits for its process to exit.
     *
     * @return its exit status
     */
    int stop() {
        String answer;
        try {
            answer = exec("system:shutdown -f").toString();
        } catch (UncheckedIOException e) {
            answer = "the console went away: " + e.getCause().getMessage(); // it may, as Karaf stops
        }
        if (!awaitExit(STOP_TIMEOUT)) {
            throw new AssertionError("Karaf still runs " + STOP_TIMEOUT.toSeconds() + " s after system:shutdown -f ("
                    + answer + ")");
        }
        return process.exitValue();
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills Karaf's JVM (SIGKILL) if it runs. */
    @Override
    public void close() {
        if (client != null) {
            client.stop();
        }
        if (isRunning()) {
            process.destroyForcibly();
            awaitExit(STOP_TIMEOUT);
        }
        LIVE.remove(this);
    }

    /** What went wrong, for a failure message: the state, and the ends of data/log/karaf.log and the console output. */
    String diagnostics(int lines) {
        String state = process == null ? "never started"
                : process.isAlive() ? "running, pid " + process.pid() : "exited with status " + process.exitValue();
        return "Karaf at " + home + " (" + state + ", SSH 127.0.0.1:" + sshPort + ")\n"
                + "  last lines of data/log/karaf.log:\n" + tail(home.resolve("data/log/karaf.log"), lines).indent(4)
                + "  last lines of its console output (" + console + "):\n" + tail(console, 10).indent(4);
    }

    private ClientSession login() throws IOException {
        ClientSession s = client.connect(USER, "127.0.0.1", sshPort).verify(COMMAND_TIMEOUT).getSession();
        try {
            s.addPasswordIdentity(password);
            s.auth().verify(COMMAND_TIMEOUT);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close(true);
            throw e;
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Karaf to exit", e);
        }
    }

    /** Sets {@code key} in a stock configuration file; fails when the key is not there (another Karaf layout). */
    private void set(String file, String key, String value) {
        Path path = home.resolve(file);
        try {
            String text = Files.readString(path, UTF_8);
            Matcher m = CFG_LINE.matcher(text);
            StringBuilder out = new StringBuilder();
            boolean found = false;
            while (m.find()) {
                if (m.group(2).equals(key)) {
                    m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + key + m.group(3) + " " + value));
                    found = true;
                }
            }
            m.appendTail(out);
            if (!found) {
                throw new IllegalStateException(path + " has no line '" + key + " = ...' to change");
            }
            Files.writeString(path, out, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot change " + path, e);
        }
    }

    private void append(String file, String text) {
        Path path = home.resolve(file);
        try {
            Files.writeString(path, "\n" + text, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** The text without carriage returns and without the colours Karaf gives its error messages. */
    private static String plain(ByteArrayOutputStream bytes) {
        return ANSI_ESCAPE.matcher(bytes.toString(UTF_8)).replaceAll("").replace("\r", "");
    }

    private static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no file " + file + ")";
        }
        try {
            List<String> all = Files.readAllLines(file, UTF_8);
            return String.join("\n", new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size())));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** What a command printed (carriage returns and colours removed) and its exit status. */
    record Result(String command, String output, int status) {

        /** The non-blank lines, stripped of trailing blanks. */
        List<String> lines() {
            return output.lines().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
        }

        @Override
        public String toString() {
            return "'" + command + "' exited with status " + status + " and printed [" + output.strip() + "]";
        }
    }
}
