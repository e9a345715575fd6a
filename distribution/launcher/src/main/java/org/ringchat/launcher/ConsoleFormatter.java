package org.ringchat.launcher;

import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * One line per record on the console (conf/logging.properties): the first line of the message and, for a
 * record with an exception, its root cause, which says what went wrong; the stack trace is left to the
 * log file. The line has the log file's format ({@code java.util.logging.SimpleFormatter.format}).
 */
public final class ConsoleFormatter extends Formatter {

    private final SimpleFormatter lineFormat = new SimpleFormatter();

    @Override
    public String format(LogRecord record) {
        String text = formatMessage(record);
        int lineEnd = text.indexOf('\n');
        if (lineEnd >= 0) {
            text = text.substring(0, lineEnd).stripTrailing() + " (more in the log file)";
        }
        if (record.getThrown() != null) {
            text += ": " + rootCause(record.getThrown()) + " (the stack trace is in the log file)";
        }
        LogRecord line = new LogRecord(record.getLevel(), text);
        line.setLoggerName(record.getLoggerName());
        line.setInstant(record.getInstant());
        return lineFormat.format(line);
    }

    private static Throwable rootCause(Throwable thrown) {
        Throwable cause = thrown;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
