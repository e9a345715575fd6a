package org.ringchat.launcher;

import java.lang.System.Logger.Level;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The framework's own messages (Felix's {@code felix.log.logger}) in java.util.logging, logger
 * {@code org.apache.felix.framework}, instead of on standard output, which in script mode carries
 * command output only.
 */
final class FelixLog extends org.apache.felix.framework.Logger {

    private static final System.Logger LOG = System.getLogger("org.apache.felix.framework");

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String message, Throwable error) {
        Level mapped = switch (level) {
            case LOG_ERROR -> Level.ERROR;
            case LOG_WARNING -> Level.WARNING;
            case LOG_INFO -> Level.INFO;
            default -> Level.DEBUG;
        };
        String text = message + (bundle == null ? "" : " (bundle " + bundle + ")")
                + (sr == null ? "" : " (service " + sr + ")");
        if (error == null) {
            LOG.log(mapped, text);
        } else {
            LOG.log(mapped, text, error);
        }
    }
}
