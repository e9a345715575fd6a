package org.ringchat.compare;

import java.nio.ByteBuffer;

/** How a broadcast's sequence number travels in its payload, so that every member can say which it got. */
final class Payloads {

    /** Hex digits of the sequence number at the start of a ringchat text. */
    static final int SEQ_CHARS = 16;

    private Payloads() {
    }

    /** An ASCII text of exactly {@code size} bytes starting with the sequence number. */
    static String text(long seq, int size) {
        StringBuilder text = new StringBuilder(size);
        String hex = Long.toHexString(seq);
        text.append("0".repeat(SEQ_CHARS - hex.length())).append(hex);
        while (text.length() < size) {
            text.append('.');
        }
        return text.toString();
    }

    static long seqOf(String text) {
        return Long.parseUnsignedLong(text, 0, SEQ_CHARS, 16);
    }

    /** {@code size} bytes (at least 8) starting with the sequence number. */
    static byte[] bytes(long seq, int size) {
        byte[] payload = new byte[Math.max(Long.BYTES, size)];
        ByteBuffer.wrap(payload).putLong(seq);
        return payload;
    }

    static long seqOf(byte[] payload, int offset) {
        return ByteBuffer.wrap(payload, offset, Long.BYTES).getLong();
    }
}
