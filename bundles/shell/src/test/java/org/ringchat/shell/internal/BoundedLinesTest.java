package org.ringchat.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class BoundedLinesTest {

    @Test
    void readsLinesWithoutTheirLineEnds() throws Exception {
        BoundedLines lines = lines("one\r\ntwo ✓\n\nlast");

        assertEquals("one", lines.next());
        assertEquals("two ✓", lines.next());
        assertEquals("", lines.next());
        assertEquals("last", lines.next());
        assertNull(lines.next());
    }

    @Test
    void aLineOverTheLimitIsRefusedWithItsLengthAndTheNextLineIsRead() throws Exception {
        int max = BoundedLines.MAX_LINE_BYTES;
        BoundedLines lines = lines("x".repeat(max) + "\n" + "y".repeat(100 * 1024) + "\nafter\n");

        assertEquals(max, lines.next().length());
        BoundedLines.TooLongException e = assertThrows(BoundedLines.TooLongException.class, lines::next);
        assertEquals("line 2 has 102400 bytes, more than the 17408 a line may have (a message holds at most 16384"
                + " bytes in UTF-8): it was not run", e.getMessage());
        assertEquals("after", lines.next());
        assertNull(lines.next());
    }

    private static BoundedLines lines(String text) {
        return new BoundedLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}
