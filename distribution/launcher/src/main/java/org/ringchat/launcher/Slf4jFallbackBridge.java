package org.ringchat.launcher;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * What Jetty and Felix HTTP log through SLF4J into java.util.logging. pax-logging-api provides SLF4J here
 * without a logging back end: it prints each record to standard output, unless a
 * {@code PaxDefaultLogStreamProvider} service hands it a stream. This registers one whose stream turns each
 * record into a java.util.logging record (pax-logging flushes the stream after each record).
 * <p>
 * The provider interface is pax-logging-api's, not on the launcher's class path: the service is a proxy of
 * the interface as that bundle loads it.
 */
final class Slf4jFallbackBridge {

    private static final String PAX_LOGGING_API = "org.ops4j.pax.logging.pax-logging-api";
    private static final String STREAM_PROVIDER = "org.ops4j.pax.logging.spi.PaxDefaultLogStreamProvider";
    /** How pax-logging's fallback logger writes a record: {@code bundle [category] LEVEL : message}, then a trace. */
    private static final Pattern RECORD = Pattern.compile("(?s)^\\S* ?\\[(.*?)\\] (\\w+) : (.*?)\\R?$");

    private Slf4jFallbackBridge() {
    }

    /** Registers the stream provider, if pax-logging-api is installed; before it starts, so that every logger sees it. */
    static void register(BundleContext systemContext) throws ClassNotFoundException {
        for (Bundle bundle : systemContext.getBundles()) {
            if (PAX_LOGGING_API.equals(bundle.getSymbolicName())) {
                Class<?> provider = bundle.loadClass(STREAM_PROVIDER);
                PrintStream stream = new RecordStream();
                Object service = Proxy.newProxyInstance(provider.getClassLoader(), new Class<?>[] {provider},
                        (proxy, method, args) -> switch (method.getName()) {
                            case "stream" -> stream;
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            case "toString" -> "SLF4J records to java.util.logging";
                            default -> null; // close: the stream holds nothing open
                        });
                systemContext.registerService(STREAM_PROVIDER, service, null);
                return;
            }
        }
    }

    /** Collects what is printed until a flush, then logs it as one record. */
    private static final class RecordStream extends PrintStream {

        private final ByteArrayOutputStream buffer;

        RecordStream() {
            this(new ByteArrayOutputStream());
        }

        private RecordStream(ByteArrayOutputStream buffer) {
            super(buffer, false, StandardCharsets.UTF_8);
            this.buffer = buffer;
        }

        @Override
        public synchronized void flush() {
            super.flush();
            String text = buffer.toString(StandardCharsets.UTF_8);
            buffer.reset();
            if (!text.isBlank()) {
                log(text);
            }
        }

        private static void log(String text) {
            Matcher record = RECORD.matcher(text);
            if (!record.matches()) {
                Logger.getLogger("org.slf4j").log(Level.INFO, text.strip());
                return;
            }
            Logger logger = Logger.getLogger(record.group(1));
            Level level = switch (record.group(2)) {
                case "ERROR", "FATAL", "AUDIT" -> Level.SEVERE;
                case "WARN" -> Level.WARNING;
                case "INFO" -> Level.INFO;
                case "DEBUG" -> Level.FINE;
                default -> Level.FINER;
            };
            LogRecord entry = new LogRecord(level, record.group(3));
            entry.setLoggerName(logger.getName());
            logger.log(entry);
        }
    }
}
