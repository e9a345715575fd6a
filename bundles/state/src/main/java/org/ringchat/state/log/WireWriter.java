package org.ringchat.state.log;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes big-endian fields, the counterpart of {@link WireReader}. */
final class WireWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    WireWriter u8(int v) {
        out.write(v);
        return this;
    }

    WireWriter u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("does not fit 16 bits: " + v);
        }
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    WireWriter i32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    WireWriter i64(long v) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (v >>> shift));
        }
        return this;
    }

    WireWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    WireWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return i32(b.length).bytes(b);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
