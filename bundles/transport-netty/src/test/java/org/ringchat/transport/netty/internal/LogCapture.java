package org.ringchat.transport.netty.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Collects what the transport logs; System.Logger goes to java.util.logging when nothing else is installed. */
final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger(NettyTransport.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();

    LogCapture() {
        logger.addHandler(this);
    }

    /** The warnings whose message contains {@code text}; they must carry no stack trace. */
    List<String> warnings(String text) {
        return records.stream()
                .filter(r -> r.getLevel() == Level.WARNING)
                .filter(r -> formatter.formatMessage(r).contains(text))
                .peek(r -> {
                    if (r.getThrown() != null) {
                        throw new AssertionError("a rejection is logged without stack trace: " + formatter.formatMessage(r));
                    }
                })
                .map(formatter::formatMessage)
                .toList();
    }

    List<String> infos(String text) {
        return records.stream()
                .filter(r -> r.getLevel() == Level.INFO)
                .map(formatter::formatMessage)
                .filter(message -> message.contains(text))
                .toList();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
