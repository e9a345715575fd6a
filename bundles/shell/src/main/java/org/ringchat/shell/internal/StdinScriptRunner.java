package org.ringchat.shell.internal;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.felix.gogo.runtime.EOFError;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
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
 * does nothing. With it, once the {@link GroupChat} and the Gogo {@link CommandProcessor} are there, the
 * framework has finished starting and the {@code ringchat} commands are registered (for these two, it
 * waits {@value #READY_WAIT_SECONDS} s at most), it reads stdin line by line on its own thread and
 * executes each line in one {@link CommandSession}:
 * <ul>
 * <li>empty lines and lines starting with {@code #} are skipped; {@code exit} ends the script;</li>
 * <li>a line that leaves a brace, bracket or quote open goes on in the next line, as in the console;</li>
 * <li>output goes to stdout; a non-null result is printed as the console prints it;</li>
 * <li>a failure is one line {@code error: <message>} on stderr, never a stack trace, and the script
 * goes on with the next line.</li>
 * </ul>
 * At the end of input the framework (bundle 0) is stopped, so the process exits.
 * <p>
 * The nested {@link Watchdog} makes sure a script never hangs because the node did not come up: if this
 * runner has not started {@code ringchat.script.timeout} seconds (default 60) after the shell bundle
 * started, it prints one {@code error:} line and stops the framework.
 */
@Component
public final class StdinScriptRunner {

    /** Framework property that turns script mode on, with the value {@value #SCRIPT_STDIN}. */
    static final String SCRIPT_PROPERTY = "ringchat.script";
    static final String SCRIPT_STDIN = "stdin";
    /** Framework property: seconds the {@link Watchdog} gives the node to come up (default 60). */
    static final String TIMEOUT_PROPERTY = "ringchat.script.timeout";
    static final long DEFAULT_TIMEOUT_SECONDS = 60;
    /** ringchat's commands come first: {@code history} is ringchat's, gogo's is {@code gogo:history}. */
    static final String SCOPE = "ringchat:gogo:*";
    static final String COMMANDS_FILTER = "(osgi.command.scope=ringchat)";
    static final long READY_WAIT_SECONDS = 30;

    private static final Logger LOG = System.getLogger(StdinScriptRunner.class.getName());

    /** Counted down when a runner starts executing, so that the {@link Watchdog} stands down. */
    static final CountDownLatch RUNNER_STARTED = new CountDownLatch(1);

    private final BundleContext context;
    private final CommandProcessor processor;
    private final Thread worker;
    private volatile boolean deactivated;

    /**
     * @param chat not used: this mandatory static reference only holds the script back until the node is up
     */
    @Activate
    public StdinScriptRunner(BundleContext context, @Reference GroupChat chat, @Reference CommandProcessor processor) {
        this.context = context;
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
        try {
            awaitReady();
            try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, err)) {
                session.put("SCOPE", SCOPE);
                runScript(() -> {
                    if (deactivated) {
                        throw new InterruptedException();
                    }
                    return Console.STDIN.take();
                }, session, out, err);
            }
        } catch (InterruptedException e) {
            // deactivated (GroupChat or Gogo went away, or the framework is stopping): another runner goes on
            return;
        } catch (RuntimeException e) {
            err.println("error: " + message(e));
        }
        if (!deactivated) {
            LOG.log(Level.DEBUG, "end of script: stopping the framework");
            stopFramework(context);
        }
    }

    /**
     * Executes the script's lines in {@code session} until the end of input or {@code exit}.
     *
     * @throws InterruptedException when {@code lines} is interrupted
     */
    static void runScript(Lines lines, CommandSession session, PrintStream out, PrintStream err)
            throws InterruptedException {
        StringBuilder command = new StringBuilder();
        String line;
        while ((line = lines.next()) != null) {
            if (command.length() == 0) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                if (trimmed.equals("exit")) {
                    break;
                }
            }
            command.append(line).append('\n');
            try {
                Object result = session.execute(command);
                command.setLength(0);
                if (result != null && !Boolean.FALSE.equals(session.get(".Gogo.format"))) {
                    out.println(session.format(result, Converter.INSPECT));
                }
            } catch (Exception e) {
                if (isIncomplete(e)) {
                    continue; // an open brace, bracket or quote: the command goes on in the next line
                }
                command.setLength(0);
                err.println("error: " + message(e));
            } finally {
                out.flush();
                err.flush();
            }
        }
        if (command.length() > 0) {
            err.println("error: incomplete command at the end of input: " + command.toString().strip().lines().findFirst().orElse(""));
        }
    }

    /** Gogo's parser ran out of input (it wraps its EOFError in a java.io.EOFException). */
    static boolean isIncomplete(Exception e) {
        return e instanceof EOFError || (e instanceof EOFException && e.getCause() instanceof EOFError);
    }

    /** One line for the user: the message of the exception that matters, without its stack trace. */
    static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException
                || t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof InterruptedException) {
            return "interrupted: the node is restarting (its configuration changed) or stopping";
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * Waits, without polling, until the framework has finished starting (so that every bundle, the
     * console's commands such as echo included, is there) and a service in the {@code ringchat}
     * command scope is registered. Gives up waiting after {@value #READY_WAIT_SECONDS} s and runs the
     * script anyway: its commands then fail with a clear message rather than hang.
     */
    private void awaitReady() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch commands = new CountDownLatch(1);
        FrameworkListener frameworkListener = event -> {
            if (event.getType() == FrameworkEvent.STARTED) {
                started.countDown();
            }
        };
        ServiceListener serviceListener = event -> commands.countDown();
        try {
            context.addFrameworkListener(frameworkListener);
            context.addServiceListener(serviceListener, COMMANDS_FILTER);
            if (context.getBundle(0).getState() == Bundle.ACTIVE) {
                started.countDown();
            }
            if (context.getServiceReferences((String) null, COMMANDS_FILTER) != null) {
                commands.countDown();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_WAIT_SECONDS);
            if (!started.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                LOG.log(Level.WARNING, "the framework has not finished starting after {0} s: running the script anyway",
                        READY_WAIT_SECONDS);
            } else if (!commands.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                LOG.log(Level.WARNING, "no command in scope ringchat after {0} s: running the script anyway",
                        READY_WAIT_SECONDS);
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IllegalStateException e) {
            throw new InterruptedException(); // our bundle is stopping
        } finally {
            try {
                context.removeServiceListener(serviceListener);
                context.removeFrameworkListener(frameworkListener);
            } catch (IllegalStateException e) {
                // our bundle is stopping
            }
        }
    }

    static void stopFramework(BundleContext context) {
        Console.OUT.flush();
        Console.ERR.flush();
        try {
            context.getBundle(0).stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.log(Level.WARNING, "cannot stop the framework: {0}", e.getMessage());
        }
    }

    /** The lines of the script; {@code null} at the end of input. */
    @FunctionalInterface
    interface Lines {
        String next() throws InterruptedException;
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
        private final LinkedBlockingDeque<String> lines = new LinkedBlockingDeque<>(64);
        private final AtomicBoolean started = new AtomicBoolean();

        /** The next line of stdin, or {@code null} at its end. */
        String take() throws InterruptedException {
            if (started.compareAndSet(false, true)) {
                Thread reader = new Thread(this::read, "ringchat-stdin");
                reader.setDaemon(true);
                reader.start();
            }
            String line = lines.takeFirst();
            if (line == EOF) {
                lines.putFirst(EOF); // every later take sees the end too
                return null;
            }
            return line;
        }

        private void read() {
            try {
                BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(FileDescriptor.in), StandardCharsets.UTF_8));
                try {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.putLast(line);
                    }
                } catch (IOException e) {
                    Console.ERR.println("error: cannot read stdin: " + message(e));
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
            stopFramework(context);
        }
    }
}
