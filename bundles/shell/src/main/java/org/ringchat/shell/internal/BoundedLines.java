package org.ringchat.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.ringchat.api.GroupChat;

/**
 * Reads UTF-8 lines of at most {@value #MAX_LINE_BYTES} bytes: a longer line is read to its end without
 * being kept, and is refused with its length, so that a pasted megabyte never fills the heap.
 */
final class BoundedLines {

    /** A message's longest text, and room for the command and the group before it. */
    static final int MAX_LINE_BYTES = GroupChat.MAX_TEXT_BYTES + 1024;

    /** A line longer than {@link #MAX_LINE_BYTES}, skipped. */
    static final class TooLongException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLongException(long lineNumber, long bytes) {
            super("line " + lineNumber + " has " + bytes + " bytes, more than the " + MAX_LINE_BYTES
                    + " a line may have (a message holds at most " + GroupChat.MAX_TEXT_BYTES
                    + " bytes in UTF-8): it was not run");
        }
    }

    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long lineNumber;

    BoundedLines(InputStream in) {
        this.in = in;
    }

    /**
     * The next line without its line end, or {@code null} at the end of input.
     *
     * @throws TooLongException when the line is too long: it was read and dropped, the next call goes on after it
     */
    String next() throws IOException, TooLongException {
        line.reset();
        long bytes = 0;
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (++bytes <= MAX_LINE_BYTES) {
                line.write(b);
            }
        }
        if (b < 0 && bytes == 0) {
            return null;
        }
        lineNumber++;
        if (bytes > MAX_LINE_BYTES) {
            throw new TooLongException(lineNumber, bytes);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
