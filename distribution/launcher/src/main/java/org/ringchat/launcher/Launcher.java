package org.ringchat.launcher;

import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.felix.main.AutoProcessor;
import org.apache.felix.main.Main;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

import sun.misc.Signal;

/**
 * The main class of {@code bin/ringchat}: starts Felix as Felix's own launcher
 * ({@code org.apache.felix.main.Main}) does, from {@code conf/config.properties} with the system
 * properties copied in and {@code bundle/} auto-deployed, and stops it on SIGTERM, SIGINT and SIGHUP.
 * Before that, it checks that the node's addresses are free ({@link NodeAddresses}).
 * Everything the framework and its bundles log goes to java.util.logging, where the node's log file and
 * console are: the framework's own messages ({@link FelixLog}), the OSGi Log Service's entries
 * ({@link OsgiLogBridge}) and SLF4J's ({@link Slf4jFallbackBridge}).
 * In script mode, standard output is the commands' alone (the shell writes them to file descriptor 1
 * itself): whatever else prints to {@code System.out} goes to standard error.
 * <p>
 * Felix's launcher stops the framework from a shutdown hook, that is after the JVM has begun to exit and
 * at the same time as java.util.logging's own shutdown hook, which closes the log handlers: most of what
 * the bundles log while they stop is lost, and the exit status is 128 + the signal. Here a signal handler
 * stops the framework while the JVM runs on normally, and the JVM exits once the framework has stopped
 * and this class has logged it.
 * <p>
 * Exit status: once the framework has stopped, whatever asked for it (a signal, the shell's
 * {@code exit}, the end of a script), the system property {@value #EXIT_STATUS_PROPERTY} if a bundle set
 * it (the shell does when a script failed), else 0; 1 when it could not start, an address in use among
 * the reasons. A signal that the process ignored when it started (SIGINT for a background job of a
 * script, say) stays ignored, as it does for any JVM.
 */
public final class Launcher {

    private static final Logger LOG = System.getLogger(Launcher.class.getPackageName());
    private static final List<String> STOP_SIGNALS = List.of("TERM", "INT", "HUP");
    private static final String FELIX_LOGGER_PROPERTY = "felix.log.logger";
    /** Set by bin/ringchat: interactive, script or headless. */
    private static final String MODE_PROPERTY = "ringchat.mode";
    private static final String SCRIPT_MODE = "script";
    /** Set by bin/ringchat: the installation directory. */
    private static final String HOME_PROPERTY = "ringchat.home";
    private static final String LOGGING_DIR = "logging";
    /** Set by a bundle before it stops the framework, for the process to exit with (org.ringchat.shell). */
    private static final String EXIT_STATUS_PROPERTY = "ringchat.exit.status";

    private Launcher() {
    }

    public static void main(String[] args) {
        System.exit(run());
    }

    private static int run() {
        if (SCRIPT_MODE.equals(System.getProperty(MODE_PROPERTY))) {
            System.setOut(System.err);
        }
        Main.loadSystemProperties();
        Optional<String> addressError = NodeAddresses.check();
        if (addressError.isPresent()) {
            System.err.println("error: " + addressError.get());
            return 1;
        }
        Map<String, String> config = Main.loadConfigProperties();
        if (config == null) {
            LOG.log(ERROR, "no conf/config.properties next to the bin/ directory of felix.jar");
            return 1;
        }
        Main.copySystemProperties(config);
        @SuppressWarnings({"unchecked", "rawtypes"}) // Felix takes this one property as an object
        Map<String, Object> properties = (Map) config;
        properties.put(FELIX_LOGGER_PROPERTY, new FelixLog());
        LOG.log(INFO, "ringchat node starting: {0} mode, data {1}, pid {2}", System.getProperty(MODE_PROPERTY),
                System.getProperty("ringchat.data"), String.valueOf(ProcessHandle.current().pid()));
        AtomicReference<String> stopSignal = new AtomicReference<>();
        try {
            FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (bin/felix.jar)"));
            Framework framework = factory.newFramework(config);
            framework.init();
            installLogging(framework.getBundleContext());
            AutoProcessor.process(config, framework.getBundleContext());
            stopOnSignals(framework, stopSignal);
            // should anything else make the JVM exit (System.exit in a bundle), the bundles still stop
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndWait(framework), "ringchat-shutdown"));
            FrameworkEvent event;
            do {
                framework.start();
                event = framework.waitForStop(0);
            } while (event.getType() == FrameworkEvent.STOPPED_UPDATE);
        } catch (Exception e) {
            LOG.log(ERROR, "the OSGi framework could not start: " + e.getMessage(), e);
            return 1;
        }
        String signal = stopSignal.get();
        LOG.log(INFO, "ringchat node stopped" + (signal == null ? "" : " on " + signal));
        return Integer.getInteger(EXIT_STATUS_PROPERTY, 0);
    }

    /**
     * Installs the bundles in logging/ (the OSGi Log Service, SLF4J) before all others, so that they start
     * first, and passes what they are given on to java.util.logging.
     */
    private static void installLogging(BundleContext context) throws BundleException, IOException, ClassNotFoundException {
        OsgiLogBridge.track(context);
        List<Path> jars;
        try (Stream<Path> files = Files.list(Path.of(System.getProperty(HOME_PROPERTY), LOGGING_DIR))) {
            jars = files.filter(file -> file.toString().endsWith(".jar")).sorted().toList();
        }
        for (Path jar : jars) {
            Bundle bundle = context.installBundle(jar.toUri().toString());
            bundle.adapt(BundleStartLevel.class).setStartLevel(1);
            bundle.start();
        }
        Slf4jFallbackBridge.register(context);
    }

    private static void stopOnSignals(Framework framework, AtomicReference<String> stopSignal) {
        for (String name : STOP_SIGNALS) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (stopSignal.compareAndSet(null, "SIG" + signal.getName())) {
                        LOG.log(INFO, "SIG{0}: stopping the node", signal.getName());
                        stop(framework);
                    }
                });
            } catch (IllegalArgumentException e) {
                LOG.log(WARNING, "cannot handle SIG{0}: {1}", name, e.getMessage());
            }
        }
    }

    private static void stop(Framework framework) {
        try {
            framework.stop(); // asynchronous: the main thread's waitForStop returns when it is done
        } catch (BundleException e) {
            LOG.log(WARNING, "cannot stop the framework: " + e.getMessage(), e);
        }
    }

    private static void stopAndWait(Framework framework) {
        if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
            return;
        }
        stop(framework);
        try {
            framework.waitForStop(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
