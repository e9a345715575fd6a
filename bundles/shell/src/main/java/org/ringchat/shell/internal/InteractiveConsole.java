package org.ringchat.shell.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.ringchat.api.GroupChat;

/**
 * The interactive shell of {@code bin/ringchat}: a {@link TerminalConsole} on its own thread when the
 * framework property {@code ringchat.mode} is {@value #INTERACTIVE} (bin/ringchat sets it when stdin is
 * a terminal, and keeps Gogo's own console from reading it). Elsewhere (Karaf, an embedding framework,
 * script or headless mode) it does nothing. When the user ends the shell, the framework stops.
 */
@Component
public final class InteractiveConsole {

    static final String MODE_PROPERTY = "ringchat.mode";
    static final String INTERACTIVE = "interactive";

    private static final Logger LOG = System.getLogger(InteractiveConsole.class.getName());

    private final BundleContext context;
    private final GroupChat chat;
    private final CommandProcessor processor;
    private final Thread thread;
    private volatile TerminalConsole console;
    private volatile boolean deactivated;

    @Activate
    public InteractiveConsole(BundleContext context, @Reference GroupChat chat, @Reference CommandProcessor processor) {
        this.context = context;
        this.chat = chat;
        this.processor = processor;
        if (!INTERACTIVE.equals(context.getProperty(MODE_PROPERTY))) {
            thread = null;
            return;
        }
        thread = new Thread(this::run, "ringchat-console");
        thread.setDaemon(true);
        thread.start();
    }

    @Deactivate
    void deactivate() throws IOException {
        deactivated = true;
        if (thread != null) {
            thread.interrupt();
        }
        TerminalConsole open = console;
        if (open != null) {
            open.close();
        }
    }

    private void run() {
        try {
            // after every other bundle, Gogo's console included: this console's terminal takes the signals last
            ShellSession.awaitFrameworkStarted(context);
            console = TerminalConsole.onSystemTerminal(Path.of(context.getProperty("ringchat.data"), "shell_history"));
            if (deactivated) {
                return;
            }
            String page = context.getProperty("ringchat.web.url");
            console.run("ringchat node listening on " + context.getProperty("ringchat.listen")
                    + (page == null || page.isEmpty() ? "" : "; web page at " + page)
                    + "; 'help' lists the commands, 'exit' or Ctrl-D stops the node",
                    (out, err, reader) -> new ShellSession(chat, processor, out, err, reader::printAbove, reader::printAbove));
        } catch (InterruptedException e) {
            return;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "cannot open the shell on this terminal: " + e.getMessage(), e);
        }
        if (!deactivated) {
            ShellSession.stopFramework(context, false);
        }
    }
}
