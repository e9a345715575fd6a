package org.ringchat.shell.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.ringchat.api.GroupChat;
import org.ringchat.shell.commands.ChatCommands;
import org.ringchat.shell.commands.CommandTable;

/**
 * What ringchat's shell needs to run lines, in script mode and in the terminal alike: a Gogo session
 * for the lines that are Gogo's, a {@link LineRunner} for every line, and {@link LiveEvents} listening
 * to the node while the shell runs.
 */
final class ShellSession implements AutoCloseable {

    /** ringchat's commands come first: {@code history} is ringchat's, gogo's is {@code gogo:history}. */
    static final String SCOPE = "ringchat:gogo:*";
    static final long READY_WAIT_SECONDS = 30;
    /** The system property bin/ringchat's launcher exits with (distribution/launcher's Launcher). */
    static final String EXIT_STATUS_PROPERTY = "ringchat.exit.status";
    static final int FAILED_STATUS = 1;

    private static final Logger LOG = System.getLogger(ShellSession.class.getName());

    private final GroupChat chat;
    private final LiveEvents events;
    private final CommandSession session;
    private final LineRunner runner;

    /**
     * @param notices   prints invitations and join requests
     * @param chatLines prints what happens in the group of chat mode
     */
    ShellSession(GroupChat chat, CommandProcessor processor, PrintStream out, PrintStream err, Consumer<String> notices,
            Consumer<String> chatLines) {
        this.chat = chat;
        ZoneId zone = ZoneId.systemDefault();
        this.events = new LiveEvents(chat.localAddress().peerId(), chat.groups(), zone, notices, chatLines);
        this.session = processor.createSession(InputStream.nullInputStream(), out, err);
        session.put("SCOPE", SCOPE);
        this.runner = new LineRunner(new CommandTable(new ChatCommands(chat, ChatCommands.WAIT, zone)), chat,
                events, session, out, err);
        chat.addListener(events);
    }

    LineRunner runner() {
        return runner;
    }

    @Override
    public void close() {
        chat.removeListener(events);
        session.close();
    }

    /**
     * Waits, without polling, until the framework has finished starting, so that every bundle (the Gogo
     * console's commands such as echo included) is there. Gives up waiting after
     * {@value #READY_WAIT_SECONDS} s: the shell then runs anyway, and a missing command fails clearly.
     *
     * @throws InterruptedException when interrupted, or when the calling bundle is stopping
     */
    static void awaitFrameworkStarted(BundleContext context) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        FrameworkListener listener = event -> {
            if (event.getType() == FrameworkEvent.STARTED) {
                started.countDown();
            }
        };
        try {
            context.addFrameworkListener(listener);
            if (context.getBundle(0).getState() == Bundle.ACTIVE) {
                started.countDown();
            }
            if (!started.await(READY_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "the framework has not finished starting after {0} s: the shell starts anyway",
                        READY_WAIT_SECONDS);
            }
        } catch (IllegalStateException e) {
            throw new InterruptedException(); // our bundle is stopping
        } finally {
            try {
                context.removeFrameworkListener(listener);
            } catch (IllegalStateException e) {
                // our bundle is stopping
            }
        }
    }

    /**
     * Stops the framework, so that the process exits; with {@code failed}, with status
     * {@value #FAILED_STATUS}: bin/ringchat's launcher exits with the system property
     * {@value #EXIT_STATUS_PROPERTY}, set here before the framework stops.
     */
    static void stopFramework(BundleContext context, boolean failed) {
        if (failed) {
            System.setProperty(EXIT_STATUS_PROPERTY, String.valueOf(FAILED_STATUS));
        }
        try {
            context.getBundle(0).stop();
        } catch (BundleException | IllegalStateException e) {
            LOG.log(Level.WARNING, "cannot stop the framework: {0}", e.getMessage());
        }
    }
}
