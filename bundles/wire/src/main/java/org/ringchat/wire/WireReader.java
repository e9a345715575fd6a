package org.ringchat.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the big-endian fields of a frame body or a stored record. Every length is checked before anything
 * is allocated, and whatever does not fit is a {@link MalformedInputException} saying what is wrong.
 */
public final class WireReader {

    private final ByteBuffer buffer;

    public WireReader(byte[] body) {
        this.buffer = ByteBuffer.wrap(body);
    }

    /** Reads {@code length} bytes of {@code array} from {@code offset}, as if they were an array of their own. */
    public WireReader(byte[] array, int offset, int length) {
        this.buffer = ByteBuffer.wrap(array, offset, length).slice();
    }

    public int u8() {
        need(1);
        return buffer.get() & 0xff;
    }

    public int u16() {
        need(2);
        return buffer.getShort() & 0xffff;
    }

    public int i32() {
        need(4);
        return buffer.getInt();
    }

    public long i64() {
        need(8);
        return buffer.getLong();
    }

    public byte[] bytes(int length) {
        need(length);
        byte[] b = new byte[length];
        buffer.get(b);
        return b;
    }

    /** Passes over {@code length} bytes, which the caller reads where they lie. */
    public void skip(int length) {
        need(length);
        buffer.position(buffer.position() + length);
    }

    /** A u16 count of repeated items, refused above {@code max}. */
    public int count(String what, int max) {
        int n = u16();
        if (n > max) {
            throw new MalformedInputException(what + ": " + n + " items, at most " + max + " allowed");
        }
        return n;
    }

    /** A UTF-8 string with a 32-bit length, refused above {@code maxBytes}. */
    public String string(String what, int maxBytes) {
        need(4);
        int length = buffer.getInt();
        if (length < 0 || length > maxBytes) {
            throw new MalformedInputException(what + ": " + Integer.toUnsignedString(length) + " bytes, at most "
                    + maxBytes);
        }
        need(length);
        byte[] array = buffer.array();
        int start = buffer.arrayOffset() + buffer.position();
        buffer.position(buffer.position() + length);
        if (isAscii(array, start, length)) {
            // the common case, decoded without a decoder: ASCII is valid UTF-8 as it is
            return new String(array, start, length, StandardCharsets.US_ASCII);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(array, start, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedInputException(what + ": not valid UTF-8");
        }
    }

    private static boolean isAscii(byte[] array, int start, int length) {
        for (int i = start; i < start + length; i++) {
            if (array[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** How many bytes have been read. */
    public int position() {
        return buffer.position();
    }

    /**
     * The bytes read since {@code position} ({@link #position()}): the array read itself when that is all of it
     * (neither side changes it then), else a copy.
     */
    public byte[] bytesSince(int position) {
        byte[] array = buffer.array();
        if (position == 0 && buffer.position() == array.length && buffer.arrayOffset() == 0) {
            return array;
        }
        return Arrays.copyOfRange(array, buffer.arrayOffset() + position, buffer.arrayOffset() + buffer.position());
    }

    /** Everything not read yet. */
    public byte[] rest() {
        return bytes(buffer.remaining());
    }

    public void expectEnd() {
        if (buffer.hasRemaining()) {
            throw new MalformedInputException(buffer.remaining() + " unexpected trailing bytes");
        }
    }

    private void need(int n) {
        if (n < 0 || buffer.remaining() < n) {
            throw new MalformedInputException("truncated: needed " + n + " more bytes, " + buffer.remaining() + " left");
        }
    }
}
