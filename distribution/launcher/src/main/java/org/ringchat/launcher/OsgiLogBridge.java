package org.ringchat.launcher;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * What the bundles log through the OSGi Log Service (SCR, ConfigAdmin, MetaType, ...) into
 * java.util.logging, where the node's log file and console are: each entry under its logger's name (or
 * its bundle's, for the plain {@code LogService} methods), with its level and exception.
 * <p>
 * The launcher is outside the framework: the system bundle exports {@code org.osgi.service.log} from the
 * launcher's class path (conf/config.properties), so that this class and the Log Service implementation
 * share its types.
 */
final class OsgiLogBridge implements LogListener {

    /**
     * Logger names that say nothing of who logged: the plain LogService methods' ({@code LogService.<bundle>}),
     * the root logger's (SCR's); their entries are logged under the bundle's symbolic name.
     */
    private static final Pattern GENERIC_LOGGER = Pattern.compile("ROOT|LogService(\\..*)?|");

    /** Adds the bridge to every Log Service reader that the framework registers, from now on, for good. */
    static void track(BundleContext systemContext) {
        OsgiLogBridge bridge = new OsgiLogBridge();
        ServiceTracker<LogReaderService, LogReaderService> tracker = new ServiceTracker<>(systemContext, LogReaderService.class, null) {
            @Override
            public LogReaderService addingService(ServiceReference<LogReaderService> reference) {
                LogReaderService reader = super.addingService(reference);
                if (reader != null) {
                    reader.addLogListener(bridge);
                }
                return reader;
            }
        };
        tracker.open();
    }

    @Override
    public void logged(LogEntry entry) {
        Logger logger = Logger.getLogger(loggerName(entry));
        Level level = switch (entry.getLogLevel()) {
            case AUDIT, ERROR -> Level.SEVERE;
            case WARN -> Level.WARNING;
            case INFO -> Level.INFO;
            case DEBUG -> Level.FINE;
            case TRACE -> Level.FINER;
        };
        if (!logger.isLoggable(level)) {
            return;
        }
        LogRecord record = new LogRecord(level, entry.getMessage());
        record.setLoggerName(logger.getName());
        record.setThrown(entry.getException());
        record.setInstant(Instant.ofEpochMilli(entry.getTime()));
        logger.log(record);
    }

    private static String loggerName(LogEntry entry) {
        String name = entry.getLoggerName();
        if (name != null && !GENERIC_LOGGER.matcher(name).matches()) {
            return name;
        }
        Bundle bundle = entry.getBundle();
        return bundle == null || bundle.getSymbolicName() == null ? "org.osgi.service.log" : bundle.getSymbolicName();
    }
}
