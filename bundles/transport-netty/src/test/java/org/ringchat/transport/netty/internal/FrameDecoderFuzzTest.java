package org.ringchat.transport.netty.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Any bytes from a peer, in any split, decode to exactly the frames a reading of docs/PROTOCOL.md
 * ("Frames", "Rejection") finds in them, or fail with the one rejection it names, never with anything else.
 *
 * <p>Input: a byte for the maximum body size (1..64, small so that lengths reach it), a byte for the size
 * of the chunks the bytes arrive in, then the bytes.
 */
class FrameDecoderFuzzTest {

    /** What the specification says of a byte stream: its frames, then the reason to close, if any. */
    private record Reading(List<Frame> frames, String rejection) {
    }

    @FuzzTest(maxDuration = "10s")
    void decodesExactlyTheFramesTheSpecificationReads(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int maxBody = 1 + (input[0] & 0xff) % 64;
        int chunk = 1 + (input[1] & 0xff) % 16;
        byte[] stream = Arrays.copyOfRange(input, 2, input.length);

        Reading expected = read(stream, maxBody);
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(maxBody));
        String rejection = null;
        try {
            for (int at = 0; at < stream.length; at += chunk) {
                channel.writeInbound(Unpooled.wrappedBuffer(stream, at, Math.min(chunk, stream.length - at)));
            }
        } catch (TooLongFrameException | CorruptedFrameException e) {
            rejection = e.getMessage();
        } catch (DecoderException e) {
            throw new AssertionError("a rejection other than the documented ones", e);
        }
        List<Frame> decoded = new ArrayList<>();
        for (Object frame; (frame = channel.readInbound()) != null; ) {
            decoded.add((Frame) frame);
        }
        try {
            channel.finishAndReleaseAll();
        } catch (TooLongFrameException | CorruptedFrameException again) {
            // Closing judges what is left once more, as on a real connection, where only the first counts.
            assertNotNull(rejection, "bytes rejected only when the connection closes");
        }

        assertEquals(expected.rejection(), rejection);
        assertEquals(expected.frames().size(), decoded.size());
        for (int i = 0; i < decoded.size(); i++) {
            assertEquals(expected.frames().get(i).type(), decoded.get(i).type());
            assertArrayEquals(expected.frames().get(i).body(), decoded.get(i).body());
            assertTrue(decoded.get(i).body().length <= maxBody);
        }
        if (rejection != null) {
            assertFalse(rejection.contains("\n"), "a rejection is logged as one line");
        }
    }

    /** Reads frames as docs/PROTOCOL.md describes them, judging each length field before its frame. */
    private static Reading read(byte[] stream, int maxBody) {
        ByteBuffer in = ByteBuffer.wrap(stream);
        List<Frame> frames = new ArrayList<>();
        long limit = maxBody + 2L;
        while (in.remaining() >= Frame.LENGTH_FIELD) {
            long length = Integer.toUnsignedLong(in.getInt());
            if (length > limit) {
                return new Reading(frames, "frame length " + length + " is over the limit of " + limit);
            }
            if (length < 2) {
                return new Reading(frames, "frame length " + length + " leaves no room for version and type");
            }
            if (in.remaining() < length) {
                break;
            }
            int version = in.get() & 0xff;
            if (version != Frame.VERSION) {
                return new Reading(frames, "unknown frame version " + version);
            }
            int type = in.get() & 0xff;
            byte[] body = new byte[(int) length - 2];
            in.get(body);
            frames.add(new Frame(type, body));
        }
        return new Reading(frames, null);
    }
}
