package org.ringchat.shell.internal;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.ringchat.api.GroupChat;

/**
 * Script mode: runs the commands read from standard input, then stops the framework.
 * <p>
 * {@code bin/ringchat} sets the framework property {@code ringchat.script=stdin} when its stdin is not a
 * terminal (and then keeps the Gogo console from reading stdin). Without that property this component
 * does nothing. With it, once the {@link GroupChat} and the Gogo {@link CommandProcessor} are there and
 * the framework has finished starting (it waits {@value ShellSession#READY_WAIT_SECONDS} s at most), it
 * reads stdin line by line on its own thread and runs each line as the interactive shell does
 * ({@link LineRunner}): ringchat's commands and chat mode take their text as typed; output goes to
 * stdout; a failure is one line {@code error: <message>} on stderr; what arrives (invitations, join
 * requests) prints on stderr, and in chat mode the group's messages on stdout. A line longer than
 * {@link BoundedLines#MAX_LINE_BYTES} bytes is refused unread.
 * <p>
 * The script stops at its first failed command, and the process then exits with status
 * {@value ShellSession#FAILED_STATUS}; with {@code ringchat.script.keep-going=true} ({@code --keep-going})
 * it goes on, and the exit status says only whether the node stopped cleanly. At the end of input (or
 * {@code exit}) the framework (bundle 0) is stopped, so the process exits.
 * <p>
 * The nested {@link Watchdog} makes sure a script never hangs because the node did not come up: if this
 * runner has not started {@code ringchat.script.timeout} seconds (default 60) after the shell bundle
 * started, it prints one {@code error:} line and stops the framework, with status
 * {@value ShellSession#FAILED_STATUS}.
 */
@Component
public final class StdinScriptRunner {

    /** Framework property that turns script mode on, with the value {@value #SCRIPT_STDIN}. */
    static final String SCRIPT_PROPERTY = "ringchat.script";
    static final String SCRIPT_STDIN = "stdin";
    /** Framework property: {@code true} to go on after a failed command. */
    static final String KEEP_GOING_PROPERTY = "ringchat.script.keep-going";
    /** Framework property: seconds the {@link Watchdog} gives the node to come up (default 60). */
    static final String TIMEOUT_PROPERTY = "ringchat.script.timeout";
    static final long DEFAULT_TIMEOUT_SECONDS = 60;

    private static final Logger LOG = System.getLogger(StdinScriptRunner.class.getName());

    /** Counted down when a runner starts executing, so that the {@link Watchdog} stands down. */
    static final CountDownLatch RUNNER_STARTED = new CountDownLatch(1);

    private final BundleContext context;
    private final GroupChat chat;
    private final CommandProcessor processor;
    private final Thread worker;
    private volatile boolean deactivated;

    @Activate
    public StdinScriptRunner(BundleContext context, @Reference GroupChat chat, @Reference CommandProcessor processor) {
        this.context = context;
        this.chat = chat;
        this.processor = processor;
        if (!isScriptMode(context)) {
            LOG.log(Level.DEBUG, "{0} is not {1}: no script to run", SCRIPT_PROPERTY, SCRIPT_STDIN);
            this.worker = null;
            return;
        }
        RUNNER_STARTED.countDown();
        this.worker = new Thread(this::run, "ringchat-script");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    @Deactivate
    void deactivate() {
        deactivated = true;
        if (worker != null) {
            worker.interrupt();
        }
    }

    static boolean isScriptMode(BundleContext context) {
        return SCRIPT_STDIN.equals(context.getProperty(SCRIPT_PROPERTY));
    }

    private void run() {
        PrintStream out = Console.OUT;
        PrintStream err = Console.ERR;
        boolean keepGoing = Boolean.parseBoolean(context.getProperty(KEEP_GOING_PROPERTY));
        boolean failed;
        try {
            ShellSession.awaitFrameworkStarted(context);
            try (ShellSession shell = new ShellSession(chat, processor, out, err, err::println, out::println)) {
                failed = runScript(() -> {
                    if (deactivated) {
                        throw new InterruptedException();
                    }
                    return Console.STDIN.take();
                }, shell.runner(), keepGoing, err);
            }
        } catch (InterruptedException e) {
            // deactivated (GroupChat or Gogo went away, or the framework is stopping): another runner goes on
            return;
        } catch (RuntimeException e) {
            err.println("error: " + LineRunner.message(e));
            failed = true;
        }
        if (!deactivated) {
            LOG.log(Level.DEBUG, "end of script: stopping the framework");
            stopFramework(context, failed && !keepGoing);
        }
    }

    /**
     * Runs the script's lines until the end of input, {@code exit}, or (unless {@code keepGoing}) the
     * first failed line.
     *
     * @return whether a line failed
     * @throws InterruptedException when {@code lines} is interrupted
     */
    static boolean runScript(Lines lines, LineRunner runner, boolean keepGoing, PrintStream err) throws InterruptedException {
        boolean failed = false;
        while (true) {
            String line;
            try {
                line = lines.next();
            } catch (BoundedLines.TooLongException e) {
                err.println("error: " + e.getMessage());
                failed = true;
                if (keepGoing) {
                    continue;
                }
                break;
            }
            if (line == null) {
                break;
            }
            LineRunner.Outcome outcome = runner.run(line);
            if (outcome == LineRunner.Outcome.EXIT) {
                break;
            }
            if (outcome == LineRunner.Outcome.FAILED) {
                failed = true;
                if (!keepGoing) {
                    break;
                }
            }
        }
        if (runner.pending().isPresent()) {
            err.println("error: incomplete command at the end of input: " + runner.pending().get().lines().findFirst().orElse(""));
            failed = true;
        }
        return failed;
    }

    private static void stopFramework(BundleContext context, boolean failed) {
        Console.OUT.flush();
        Console.ERR.flush();
        ShellSession.stopFramework(context, failed);
    }

    /** The lines of the script; {@code null} at the end of input. */
    @FunctionalInterface
    interface Lines {
        String next() throws InterruptedException, BoundedLines.TooLongException;
    }

    /**
     * The process's standard streams, outside Gogo's per-thread redirection of System.in/out/err,
     * in UTF-8. Stdin is read by one daemon thread (started on first use) into a small queue, so that a
     * runner that is deactivated and activated again neither loses a line nor reads stdin twice.
     */
    static final class Console {
        static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        static final PrintStream ERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        static final Input STDIN = new Input();

        private Console() {
        }
    }

    static final class Input {
        private static final String EOF = new String("end of input"); // compared by identity
        /** Lines (strings), and lines too long to keep ({@link BoundedLines.TooLongException}s). */
        private final LinkedBlockingDeque<Object> lines = new LinkedBlockingDeque<>(64);
        private final AtomicBoolean started = new AtomicBoolean();

        /** The next line of stdin, or {@code null} at its end. */
        String take() throws InterruptedException, BoundedLines.TooLongException {
            if (started.compareAndSet(false, true)) {
                Thread reader = new Thread(this::read, "ringchat-stdin");
                reader.setDaemon(true);
                reader.start();
            }
            Object line = lines.takeFirst();
            if (line == EOF) {
                lines.putFirst(EOF); // every later take sees the end too
                return null;
            }
            if (line instanceof BoundedLines.TooLongException tooLong) {
                throw tooLong;
            }
            return (String) line;
        }

        private void read() {
            try {
                BoundedLines in = new BoundedLines(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
                while (true) {
                    try {
                        String line = in.next();
                        if (line == null) {
                            break;
                        }
                        lines.putLast(line);
                    } catch (BoundedLines.TooLongException e) {
                        lines.putLast(e);
                    } catch (IOException e) {
                        Console.ERR.println("error: cannot read stdin: " + LineRunner.message(e));
                        break;
                    }
                }
                lines.putLast(EOF);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops the framework when the script did not start in time (the node did not come up), so that
     * {@code echo ... | bin/ringchat} never hangs. Does nothing unless {@code ringchat.script=stdin}.
     */
    @Component(name = "org.ringchat.shell.internal.StdinScriptRunner.Watchdog")
    public static final class Watchdog {

        private final Thread thread;

        @Activate
        public Watchdog(BundleContext context) {
            if (!isScriptMode(context)) {
                thread = null;
                return;
            }
            long timeout = timeoutSeconds(context.getProperty(TIMEOUT_PROPERTY));
            thread = new Thread(() -> watch(context, timeout), "ringchat-script-watchdog");
            thread.setDaemon(true);
            thread.start();
        }

        @Deactivate
        void deactivate() {
            if (thread != null) {
                thread.interrupt();
            }
        }

        static long timeoutSeconds(String value) {
            try {
                return value == null || value.isBlank() ? DEFAULT_TIMEOUT_SECONDS : Math.max(1, Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                return DEFAULT_TIMEOUT_SECONDS;
            }
        }

        private static void watch(BundleContext context, long timeout) {
            try {
                if (RUNNER_STARTED.await(timeout, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            String missing;
            try {
                missing = context.getServiceReference(CommandProcessor.class) == null
                        ? "the Gogo CommandProcessor service is not there"
                        : "the GroupChat service did not start (see the log above: is the org.ringchat.node"
                          + " configuration valid and the listen port free?)";
            } catch (IllegalStateException e) {
                return; // our bundle is stopping
            }
            Console.ERR.println("error: the node did not come up within " + timeout + " s: " + missing);
            stopFramework(context, true);
        }
    }
}
