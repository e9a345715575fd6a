package org.ringchat.api;

import java.util.HexFormat;

/** Shared parsing of the hexadecimal IDs. */
final class Hex {

    private static final HexFormat HEX = HexFormat.of();

    private Hex() {
    }

    static String format(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static byte[] parse(String what, String text, int length) {
        String s = text.trim().toLowerCase();
        if (s.length() != length * 2) {
            throw new IllegalArgumentException("a " + what + " has " + length * 2 + " hex digits, not " + s.length() + ": " + text);
        }
        try {
            return HEX.parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hexadecimal " + what + ": " + text);
        }
    }
}
