package org.ringchat.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any request body either parses to the plain values {@link Json} documents, nested at most
 * {@link Json#MAX_DEPTH} deep, which it writes on one line and reads back the same; or is refused with
 * {@link IllegalArgumentException} and a short one-line reason, which the API sends back as a 400: never
 * another exception (a {@code StackOverflowError}, an index out of bounds), which would be a 500.
 *
 * <p>Input: the body's bytes; the API reads at most {@code max.body.bytes} of them.
 */
class JsonFuzzTest {

    /** The longest reason: "invalid JSON at character N: " and at most 100 characters of quoted input. */
    private static final int MAX_REASON = 200;

    @FuzzTest(maxDuration = "10s")
    void everyBodyParsesToWhatItWritesBackOrIsRefusedWithOneLine(byte[] body) {
        Object value;
        try {
            value = Json.parse(body);
        } catch (IllegalArgumentException e) {
            String reason = e.getMessage();
            assertTrue(reason.length() <= MAX_REASON && reason.chars().noneMatch(Character::isISOControl)
                    && reason.codePoints().noneMatch(c -> Character.getType(c) == Character.SURROGATE),
                    () -> "the reason is one short line, whole characters only: " + reason);
            return;
        }
        int depth = depth(value);
        assertTrue(depth <= Json.MAX_DEPTH, () -> "nested " + depth + " deep");
        String written = Json.write(value);
        assertTrue(written.lines().count() == 1, () -> "written on one line: " + written);
        assertEquals(value, Json.parse(written), "what is written reads back the same");
    }

    /** How deep objects and arrays are nested; fails on a value of a type Json does not document. */
    private static int depth(Object value) {
        if (value instanceof Map<?, ?> map) {
            int deepest = 0;
            for (Map.Entry<?, ?> member : map.entrySet()) {
                assertTrue(member.getKey() instanceof String, "member names are strings");
                deepest = Math.max(deepest, depth(member.getValue()));
            }
            return deepest + 1;
        }
        if (value instanceof Collection<?> list) {
            return list.stream().mapToInt(JsonFuzzTest::depth).max().orElse(0) + 1;
        }
        assertTrue(value == null || value instanceof String || value instanceof Long || value instanceof Boolean,
                () -> "a value of type " + value.getClass().getName());
        return 0;
    }
}
