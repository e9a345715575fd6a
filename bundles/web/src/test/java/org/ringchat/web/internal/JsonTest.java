package org.ringchat.web.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void writesOneLineWithEverythingEscapedThatMustBe() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "a \"quote\", a \\ and\nlines\r\t\u0001\u2028\u2029 é 😀");
        value.put("n", 42L);
        value.put("ok", true);
        value.put("none", null);
        value.put("list", List.of(1L, "two", List.of()));
        String json = Json.write(value);
        assertEquals("{\"text\":\"a \\\"quote\\\", a \\\\ and\\nlines\\r\\t\\u0001\\u2028\\u2029 é 😀\",\"n\":42,"
                + "\"ok\":true,\"none\":null,\"list\":[1,\"two\",[]]}", json);
        assertTrue(json.lines().count() == 1);
        assertEquals(value, Json.parse(json), "what is written reads back");
    }

    @Test
    void readsTheValuesOfRequestBodies() {
        assertEquals(Map.of("text", "hi\n\"you\" ☃ 😀", "n", -12L, "list", List.of(true, false), "empty", Map.of()),
                Json.parse(" {\"text\" : \"hi\\n\\\"you\\\" \\u2603 \\ud83d\\ude00\", \"n\":-12,\"list\":[true,false],\"empty\":{}} "
                        .getBytes(UTF_8)));
        assertEquals(Arrays.asList(null, 0L, "/"), Json.parse("[null,0,\"\\/\"]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"a\":1,}", "[1,]", "{\"a\":1}x", "{\"a\":1,\"a\":2}", "{a:1}", "'a'",
            "\"unterminated", "\"tab\tinside\"", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
            "01", "-", "1.5", "1e3", "99999999999999999999", "tru", "nul", "[1 2]", "{\"a\" 1}", "/* c */ 1"})
    void rejectsWhatIsNotStrictJson(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text.getBytes(UTF_8)));
        assertTrue(e.getMessage().startsWith("invalid JSON at character "), e.getMessage());
    }

    @Test
    void quotesTheInputInAReasonShortPrintableAndInWholeCharacters() {
        String longName = "n".repeat(500);
        String reason = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("{\"" + longName + "\":1,\"" + longName + "\":2}")).getMessage();
        assertTrue(reason.endsWith("duplicate member \"" + "n".repeat(100) + "…\""), reason);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.parse("9".repeat(500))).getMessage()
                .endsWith("the number " + "9".repeat(100) + "… is too large"));
        assertEquals("invalid JSON at character 0: unexpected character '?'", assertThrows(IllegalArgumentException.class,
                () -> Json.parse(new byte[] {0x03, '}'})).getMessage());
        assertEquals("invalid JSON at character 2: unknown escape '\\😀'",
                assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\\😀\"")).getMessage());
    }

    @Test
    void rejectsInvalidUtf8AndLoneSurrogates() {
        assertEquals("the body is not valid UTF-8",
                assertThrows(IllegalArgumentException.class, () -> Json.parse(new byte[] {'"', (byte) 0xc3, '"'})).getMessage());
        assertEquals("the body is not valid UTF-8", assertThrows(IllegalArgumentException.class,
                () -> Json.parse(new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"\ud800\""));
    }

    @Test
    void boundsTheNesting() {
        String deepEnough = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        Json.parse(deepEnough);
        String tooDeep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.parse(tooDeep)).getMessage().contains("nested deeper"));
        // far deeper than any stack: refused at the bound, not by a StackOverflowError
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":".repeat(100_000)));
    }
}
