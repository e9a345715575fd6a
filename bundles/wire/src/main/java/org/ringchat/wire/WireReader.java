package org.ringchat.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the big-endian fields of a frame body or a stored record. Every length is checked before anything
 * is allocated, and whatever does not fit is a {@link MalformedInputException} saying what is wrong.
 */
public final class WireReader {

    /** Reads eight bytes of an array at once. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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
        int length = skipString(what, maxBytes);
        // checked to be UTF-8: the decoding replaces nothing
        return new String(buffer.array(), buffer.arrayOffset() + buffer.position() - length, length,
                StandardCharsets.UTF_8);
    }

    /**
     * Passes over a string as {@link #string} reads it, its bytes checked to be UTF-8 but not decoded, for a
     * caller that decodes them later, if at all; returns their length: they end where this reader is now.
     */
    public int skipString(String what, int maxBytes) {
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
            return length; // the common case, checked without a decoder: ASCII is valid UTF-8 as it is
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(array, start, length));
            return length;
        } catch (CharacterCodingException e) {
            throw new MalformedInputException(what + ": not valid UTF-8");
        }
    }

    /** Eight bytes at a time: every message's text is checked on the way in. */
    private static boolean isAscii(byte[] array, int start, int length) {
        int i = start;
        int end = start + length;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            if (((long) LONGS.get(array, i) & 0x8080808080808080L) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
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
