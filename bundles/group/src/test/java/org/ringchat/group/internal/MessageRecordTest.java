package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringchat.group.internal.BatchSignatureTest.AUTHOR;
import static org.ringchat.group.internal.BatchSignatureTest.authAt;
import static org.ringchat.group.internal.BatchSignatureTest.drafts;
import static org.ringchat.group.internal.BatchSignatureTest.encode;

import java.util.Arrays;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.ringchat.api.Delivery;
import org.ringchat.api.PeerId;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireWriter;

/** The stored form of a message: what older versions stored still loads. */
class MessageRecordTest {

    private static final PeerId MISSED = new TestIdentity().peerId();

    @Test
    void recordsRoundTripWithBothSchemes() {
        for (SignedMessage m : SignedMessage.signBatch(AUTHOR, drafts(3)).subList(1, 3)) {
            roundTrip(m);
        }
        roundTrip(SignedMessage.signBatch(AUTHOR, drafts(1)).get(0));
    }

    private static void roundTrip(SignedMessage m) {
        MessageRecord record = new MessageRecord(m, "k", Delivery.Status.CONFIRMED, 3, 4);
        record.missing.add(MISSED);
        byte[] bytes = record.encode();
        assertEquals(5, bytes[0], "format");
        MessageRecord loaded = MessageRecord.decode("k", bytes);
        assertArrayEquals(encode(m), encode(loaded.message));
        assertTrue(loaded.message.hasValidSignature(AUTHOR));
        assertEquals(Set.of(MISSED), loaded.missing);
        assertArrayEquals(bytes, loaded.encode());
    }

    /** Format 4, stored before batch signatures: the message had no scheme byte. */
    @Test
    void aRecordFromBeforeTheSchemesLoadsAndIsStoredInTheNewFormat() {
        SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0);
        byte[] stored = new WireWriter().u8(4).bytes(withoutSchemeByte(m)).u8(Delivery.Status.CONFIRMED.ordinal())
                .u16(4).u16(3).u16(1).bytes(MISSED.toBytes()).toByteArray();
        MessageRecord loaded = MessageRecord.decode("k", stored);
        assertTrue(loaded.message.hasValidSignature(AUTHOR), "the signature over the same bytes as before");
        assertEquals(m.text, loaded.message.text);
        assertEquals(Delivery.Status.CONFIRMED, loaded.status);
        assertEquals(3, loaded.reached);
        assertEquals(Set.of(MISSED), loaded.missing);
        byte[] again = loaded.encode();
        assertEquals(5, again[0]);
        assertArrayEquals(encode(m), encode(MessageRecord.decode("k", again).message));
    }

    /** Format 3, from before 0.2: no scheme byte either, and the members reached listed. */
    @Test
    void aRecordThatListedTheMembersReachedLoadsToo() {
        SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0);
        byte[] stored = new WireWriter().u8(3).bytes(withoutSchemeByte(m)).u8(Delivery.Status.ACKNOWLEDGED.ordinal())
                .u16(4).u16(2).bytes(MISSED.toBytes()).bytes(AUTHOR.peerId().toBytes()).toByteArray();
        MessageRecord loaded = MessageRecord.decode("k", stored);
        assertTrue(loaded.message.hasValidSignature(AUTHOR));
        assertEquals(2, loaded.reached);
    }

    @Test
    void anUnknownFormatIsMalformed() {
        byte[] bytes = new MessageRecord(SignedMessage.signBatch(AUTHOR, drafts(1)).get(0), "k",
                Delivery.Status.RECEIVED, 0, 2).encode();
        bytes[0] = 6;
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> MessageRecord.decode("k", bytes));
        assertEquals("unknown stored message format 6", e.getMessage());
    }

    /** A scheme-1 message as it was encoded before the schemes: the scheme byte left out. */
    private static byte[] withoutSchemeByte(SignedMessage m) {
        byte[] encoded = encode(m);
        int at = authAt(m);
        byte[] old = Arrays.copyOf(encoded, encoded.length - 1);
        System.arraycopy(encoded, at + 1, old, at, encoded.length - at - 1);
        return old;
    }
}
