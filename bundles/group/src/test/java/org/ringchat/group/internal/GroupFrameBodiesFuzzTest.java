package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/**
 * Every frame body the group engine reads from a peer either decodes to a value that encodes back to exactly
 * the same bytes (the encoding is canonical, nothing is read that is not there, nothing is lost) or is rejected
 * with {@link MalformedInputException} and a one-line reason, the engine's contract for a bad frame: never
 * another exception, which the engine would not catch.
 *
 * <p>Input: a byte choosing the body (an index into {@link #BODIES}), then the body.
 */
class GroupFrameBodiesFuzzTest {

    /** A frame body: decodes it, then encodes what it decoded. */
    private record Body(String frames, UnaryOperator<byte[]> decodeAndEncode) {
    }

    static final List<Body> BODIES = List.of(
            new Body("CHAT", GroupFrameBodiesFuzzTest::chat),
            new Body("CONFIRMS", body -> BroadcastFrames.Confirms.decode(body).encode()),
            new Body("PARTS_DONE", body -> BroadcastFrames.PartsDone.decode(body).encode()),
            new Body("ACKS", body -> BroadcastFrames.Acks.decode(body).encode()),
            new Body("HOLDS", body -> Holds.decode(body).encode()),
            new Body("CONFIRMS_QUERY", body -> ConfirmationFrames.Query.decode(body).encode()),
            new Body("CONFIRMS_ANSWER", body -> ConfirmationFrames.Answer.decode(body).encode()),
            new Body("INVITE_ACK", body -> OpRef.decode(body).encode()),
            new Body("INVITE, STATE", body -> OpsCodec.GroupOps.decode(body).encode()),
            new Body("JOIN_REQUEST", body -> JoinFrames.Request.decode(body).encode()),
            new Body("JOIN_ANSWER", body -> JoinFrames.Answer.decode(body).encode()),
            new Body("SYNC_REQUEST", body -> SyncRequest.decode(body).encode()),
            new Body("SYNC_BATCH", body -> SyncBatch.decode(body).encode()),
            new Body("PROBE, PROBE_ACK", body -> ProbeFrames.nonce(ProbeFrames.nonce(body))),
            new Body("PROBE_REQUEST", body -> ProbeFrames.Request.decode(body).encode()),
            new Body("BUNDLE", body -> Bundle.encode(Bundle.decode(body))),
            new Body("RELAY_RECORD", body -> RelayRecord.decode(body).encode()));

    /** A CHAT as the engine reads it: the header, then the signed message, which must fill the rest. */
    private static byte[] chat(byte[] body) {
        BroadcastFrames.Chat chat = BroadcastFrames.Chat.decode(body);
        WireReader reader = new WireReader(chat.payload());
        SignedMessage message = SignedMessage.read(reader);
        reader.expectEnd();
        WireWriter payload = new WireWriter();
        message.write(payload);
        return new BroadcastFrames.Chat(chat.epoch(), chat.seq(), chat.header(), payload.toByteArray()).encode();
    }

    @FuzzTest(maxDuration = "10s")
    void everyBodyDecodesCanonicallyOrIsRejectedAsMalformed(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Body decoder = BODIES.get((input[0] & 0xff) % BODIES.size());
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        byte[] encoded;
        try {
            encoded = decoder.decodeAndEncode().apply(body);
        } catch (MalformedInputException e) {
            assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl),
                    () -> decoder.frames() + ": the reason is logged as one line, no control characters: " + e.getMessage());
            return;
        }
        assertArrayEquals(body, encoded, () -> decoder.frames() + " accepted a body that is not its own encoding");
    }
}
