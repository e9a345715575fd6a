package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/**
 * The body of a BUNDLE frame: several frames of the broadcast and the failure detector for one peer,
 * written in one engine turn and sent as one (see docs/PROTOCOL.md). One frame instead of many costs the
 * sender and the receiver one TLS record, one write and one read, and the receiver one engine task.
 */
final class Bundle {

    /** The most frames one bundle carries. */
    static final int MAX_FRAMES = 1024;
    /** Bytes a bundle adds to each frame it carries: its type and length. */
    static final int OVERHEAD_PER_FRAME = 1 + 4;

    /**
     * One frame inside a bundle: {@code length} bytes of {@code array} from {@code offset}. A frame decoded
     * from a bundle is read where it lies; its body is copied out only if asked for.
     */
    record Entry(int type, byte[] array, int offset, int length) implements Outgoing {

        Entry(int type, byte[] body) {
            this(type, body, 0, body.length);
        }

        byte[] body() {
            return offset == 0 && length == array.length ? array : Arrays.copyOfRange(array, offset, offset + length);
        }

        WireReader reader() {
            return new WireReader(array, offset, length);
        }

        @Override
        public void writeBody(WireWriter w) {
            w.bytes(array, offset, length);
        }
    }

    /** A frame to bundle, which writes its body into the bundle itself: its parts need not be joined first. */
    interface Outgoing {

        int type();

        /** The length of its body. */
        int length();

        void writeBody(WireWriter w);
    }

    private Bundle() {
    }

    static byte[] encode(List<? extends Outgoing> frames) {
        int size = 2;
        for (Outgoing frame : frames) {
            size += OVERHEAD_PER_FRAME + frame.length();
        }
        WireWriter w = new WireWriter(size).u16(frames.size());
        for (Outgoing frame : frames) {
            frame.writeBody(w.u8(frame.type()).i32(frame.length()));
        }
        return w.toByteArray();
    }

    /** The frames a frame brings: those in it if it is a BUNDLE (decoded as {@link #decode} does), else itself. */
    static List<Entry> framesOf(int type, byte[] body) {
        return type == FrameType.BUNDLE ? decode(body) : List.of(new Entry(type, body));
    }

    /** The frames, checked: a known kind of frame that may travel in a bundle, never a bundle itself. */
    static List<Entry> decode(byte[] body) {
        WireReader r = new WireReader(body);
        int count = r.count("frames in a bundle", MAX_FRAMES);
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int type = r.u8();
            if (!mayTravelInBundle(type)) {
                throw new MalformedInputException("a bundle cannot carry a frame of type " + FrameType.name(type));
            }
            int length = r.i32();
            entries.add(new Entry(type, body, r.position(), length));
            r.skip(length);
        }
        r.expectEnd();
        return entries;
    }

    static boolean mayTravelInBundle(int type) {
        return switch (type) {
            case FrameType.CHAT, FrameType.ACKS, FrameType.CONFIRMS, FrameType.PARTS_DONE,
                 FrameType.PROBE, FrameType.PROBE_ACK, FrameType.PROBE_REQUEST -> true;
            // a peer of an earlier version bundles these: its frames are refused one by one, saying why
            default -> FrameType.isPerMessageBroadcast(type);
        };
    }
}
