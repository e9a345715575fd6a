package org.ringchat.group.internal;

import static org.ringchat.group.internal.BatchSignatureTest.AUTHOR;
import static org.ringchat.group.internal.BatchSignatureTest.drafts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.ringchat.api.PeerId;
import org.ringchat.wire.WireWriter;

class SignaturesAheadTest {

    private final BatchSignatureTest.CountingIdentity crypto = new BatchSignatureTest.CountingIdentity(AUTHOR);
    private final MessageVerifier verifier = new MessageVerifier(crypto, 1024);
    private final PeerId member = new TestIdentity().peerId();
    private final PeerId stranger = new TestIdentity().peerId();
    private final SignaturesAhead ahead = new SignaturesAhead(verifier, Set.of(member)::contains);

    private static byte[] chat(SignedMessage message) {
        WireWriter payload = new WireWriter();
        message.write(payload);
        return new BroadcastFrames.Chat(1, 1, new BroadcastFrames.Header(message.group, message.id, "ring", message.author),
                payload.toByteArray()).encode();
    }

    @Test
    void aMembersMessagesAreVerifiedAheadAloneOrInABundleAndTheEngineFindsThemSo() {
        SignedMessage alone = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0);
        List<SignedMessage> batch = SignedMessage.signBatch(AUTHOR, drafts(3));
        ahead.check(member, Bundle.framesOf(FrameType.CHAT, chat(alone)));
        ahead.check(member, Bundle.framesOf(FrameType.BUNDLE, Bundle.encode(batch.stream()
                .map(m -> new Bundle.Entry(FrameType.CHAT, chat(m))).toList())));
        assertEquals(2, crypto.verifies);

        assertTrue(verifier.verify(alone));
        batch.forEach(m -> assertTrue(verifier.verify(m)));
        assertEquals(2, crypto.verifies, "the engine verifies nothing again");
    }

    @Test
    void theEngineTakesTheMessageOfTheChatItHandlesAsDecodedAhead() {
        SignedMessage sent = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0);
        SignaturesAhead.Frame frame = ahead.check(member, Bundle.framesOf(FrameType.CHAT, chat(sent))).get(0);
        assertEquals(sent.id, frame.message().id);
        assertNull(frame.body(), "a CHAT decoded ahead is not copied out");

        byte[] payload = frame.chat().payload();
        SignedMessage[] taken = new SignedMessage[1];
        ahead.handle(frame, () -> taken[0] = ahead.decoded(payload));
        assertSame(frame.message(), taken[0]);
        assertNotSame(frame.message(), ahead.decoded(payload), "outside its handling, decoded afresh");
        assertEquals(sent.id, ahead.decoded(payload).id);
    }

    @Test
    void strangersAndGarbageCostNoVerificationAndAreLeftToTheEngine() {
        List<SignaturesAhead.Frame> fromStranger = ahead.check(stranger,
                Bundle.framesOf(FrameType.CHAT, chat(SignedMessage.signBatch(AUTHOR, drafts(1)).get(0))));
        List<SignaturesAhead.Frame> garbage = ahead.check(member, Bundle.framesOf(FrameType.CHAT, new byte[] {1, 2, 3}));
        ahead.check(member, List.of(new Bundle.Entry(FrameType.CHAT, new byte[] {0, 5})));

        assertEquals(0, crypto.verifies);
        assertNull(fromStranger.get(0).chat());
        assertNull(garbage.get(0).chat());
        assertArrayEquals(new byte[] {1, 2, 3}, garbage.get(0).body());
    }
}
