package org.ringchat.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes big-endian fields, the counterpart of {@link WireReader}. A writer made with the exact size of
 * what it will write ({@link #WireWriter(int)}) allocates once and hands its array over without a copy;
 * one that guessed too small grows.
 */
public final class WireWriter {

    private byte[] buffer;
    private int size;

    /** A writer for a body whose size is not known in advance. */
    public WireWriter() {
        this(256);
    }

    /** A writer for a body of about {@code expectedSize} bytes. */
    public WireWriter(int expectedSize) {
        this.buffer = new byte[Math.max(0, expectedSize)];
    }

    public WireWriter u8(int v) {
        ensure(1);
        buffer[size++] = (byte) v;
        return this;
    }

    public WireWriter u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("does not fit 16 bits: " + v);
        }
        ensure(2);
        buffer[size++] = (byte) (v >>> 8);
        buffer[size++] = (byte) v;
        return this;
    }

    public WireWriter i32(int v) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    public WireWriter i64(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (v >>> shift);
        }
        return this;
    }

    /** A text of ASCII characters, one byte each, with no length before it; what is not ASCII is the caller's mistake. */
    public WireWriter ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            buffer[size++] = (byte) text.charAt(i);
        }
        return this;
    }

    public WireWriter bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    /** {@code length} bytes of {@code b} from {@code offset}. */
    public WireWriter bytes(byte[] b, int offset, int length) {
        ensure(length);
        System.arraycopy(b, offset, buffer, size, length);
        size += length;
        return this;
    }

    /** A UTF-8 string with a 32-bit length. */
    public WireWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return i32(b.length).bytes(b);
    }

    /** What was written: the writer's own array when it was sized exactly (the writer is done then), a copy otherwise. */
    public byte[] toByteArray() {
        return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(size + more, buffer.length * 2));
        }
    }
}
