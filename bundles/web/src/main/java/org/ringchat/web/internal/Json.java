package org.ringchat.web.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain Java values: objects are {@code Map<String, ?>}, arrays {@code Collection}s, and strings,
 * numbers, booleans and {@code null} themselves.
 * <p>
 * {@link #write} never emits a line break, so a document fits on one {@code data:} line of an event stream.
 * {@link #parse} reads request bodies, which are untrusted: strict RFC 8259 (no comments, no trailing
 * commas, no duplicate names, nothing after the value, well-formed UTF-8 and surrogate pairs), with a
 * bounded nesting depth; the caller bounds the size.
 */
final class Json {

    /** Deeper than any request body of the API needs, shallow enough for the parser's stack. */
    static final int MAX_DEPTH = 16;

    private Json() {
    }

    /** The one-line JSON text of a value. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(s, out);
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString((String) e.getKey(), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(item, out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    /** Escapes the quote, the backslash, control characters and U+2028/U+2029 (line breaks to JavaScript). */
    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * Parses a UTF-8 JSON text.
     *
     * @throws IllegalArgumentException saying what is wrong and where
     */
    static Object parse(byte[] utf8) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the body is not valid UTF-8");
        }
        return parse(text);
    }

    /** Parses a JSON text; see {@link #parse(byte[])}. */
    static Object parse(String text) {
        Parser parser = new Parser(text);
        parser.skipWhitespace();
        Object value = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos < text.length()) {
            throw parser.error("unexpected text after the JSON value");
        }
        return value;
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Object value(int depth) {
            if (pos >= text.length()) {
                throw error("unexpected end of the JSON text");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw unexpectedCharacter();
                }
            };
        }

        private Map<String, Object> object(int depth) {
            checkDepth(depth);
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("expected a member name in quotes");
                }
                String name = string();
                if (map.containsKey(name)) {
                    throw error("duplicate member \"" + RequestGuard.printable(name) + "\"");
                }
                skipWhitespace();
                expect(':');
                skipWhitespace();
                map.put(name, value(depth));
                skipWhitespace();
                char c = next();
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array(int depth) {
            checkDepth(depth);
            pos++;
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                list.add(value(depth));
                skipWhitespace();
                char c = next();
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    throw error("expected ',' or ']'");
                }
            }
        }

        private String string() {
            pos++; // the opening quote
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw error("a control character in a string must be escaped");
                }
                if (c != '\\') {
                    if (Character.isSurrogate(c)) {
                        // only reachable from parse(String): decoded UTF-8 has whole pairs
                        if (!Character.isHighSurrogate(c) || pos >= text.length()
                                || !Character.isLowSurrogate(text.charAt(pos))) {
                            throw error("a lone surrogate in a string");
                        }
                        out.append(c).append(next());
                        continue;
                    }
                    out.append(c);
                    continue;
                }
                char escaped = next();
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        char unit = hex4();
                        if (Character.isHighSurrogate(unit)) {
                            if (!text.startsWith("\\u", pos)) {
                                throw error("a high surrogate escape without its low half");
                            }
                            pos += 2;
                            char low = hex4();
                            if (!Character.isLowSurrogate(low)) {
                                throw error("a high surrogate escape without its low half");
                            }
                            out.append(unit).append(low);
                        } else if (Character.isLowSurrogate(unit)) {
                            throw error("a low surrogate escape without its high half");
                        } else {
                            out.append(unit);
                        }
                    }
                    default -> {
                        pos--;
                        throw error("unknown escape '\\" + characterAtPos() + "'");
                    }
                }
            }
        }

        private char hex4() {
            if (pos + 4 > text.length()) {
                throw error("a \\u escape needs four hex digits");
            }
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int digit = Character.digit(text.charAt(pos++), 16);
                if (digit < 0) {
                    throw error("a \\u escape needs four hex digits");
                }
                value = value * 16 + digit;
            }
            return (char) value;
        }

        /** Integers as {@code Long}; fractions and exponents are valid JSON but no field of the API takes them. */
        private Object number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (peek() >= '1' && peek() <= '9') {
                while (peek() >= '0' && peek() <= '9') {
                    pos++;
                }
            } else {
                throw error("a number needs digits");
            }
            if (peek() == '.' || peek() == 'e' || peek() == 'E') {
                throw error("only whole numbers are accepted");
            }
            String digits = text.substring(start, pos);
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw error("the number " + RequestGuard.printable(digits) + " is too large");
            }
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw unexpectedCharacter();
            }
            pos += word.length();
            return value;
        }

        private void checkDepth(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH + " levels");
            }
        }

        void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                pos++;
            }
        }

        /** The next character without taking it; 0 at the end. */
        private char peek() {
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private char next() {
            if (pos >= text.length()) {
                throw error("unexpected end of the JSON text");
            }
            return text.charAt(pos++);
        }

        private void expect(char c) {
            if (next() != c) {
                pos--;
                throw error("expected '" + c + "'");
            }
        }

        private IllegalArgumentException unexpectedCharacter() {
            return error("unexpected character '" + characterAtPos() + "'");
        }

        /** The character at {@code pos}, whole (a surrogate pair is one character) and printable. */
        private String characterAtPos() {
            return RequestGuard.printable(new String(Character.toChars(text.codePointAt(pos))));
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid JSON at character " + pos + ": " + what);
        }
    }
}
