package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringchat.group.internal.BatchSignatureTest.AUTHOR;
import static org.ringchat.group.internal.BatchSignatureTest.authAt;
import static org.ringchat.group.internal.BatchSignatureTest.drafts;
import static org.ringchat.group.internal.BatchSignatureTest.encode;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.state.messages.LegacyMessages;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/** The stored form of a message: its status record in the log, and what earlier releases stored, moved into the log. */
class MessageRecordTest {

    private static final PeerId MISSED = new TestIdentity().peerId();

    @Test
    void aStatusRoundTripsThroughTheLog() {
        SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0);
        MessageRecord record = new MessageRecord(m.group, m, Delivery.Status.ACKNOWLEDGED, 2, 4);
        record.confirm(new Dissemination.Missing(1, List.of(MISSED)));
        MessageRecord loaded = MessageRecord.stored(m.group, m, 7, record.encodeStatus());
        assertEquals(7, loaded.sequence);
        assertEquals(Delivery.Status.CONFIRMED, loaded.status);
        assertEquals(3, loaded.reached);
        assertEquals(4, loaded.memberCount);
        assertEquals(List.of(MISSED), loaded.missing);
        assertEquals(m.parents, loaded.parents());
    }

    /** A record keeps its ID and its parents' as numbers: none, one or several parents come back as the message names them. */
    @Test
    void aRecordGivesBackItsIdAndItsParentsInOrder() {
        SecureRandom random = new SecureRandom();
        GroupId group = GroupId.random(random);
        for (int parents = 0; parents <= 4; parents++) {
            List<MessageId> named = new ArrayList<>();
            for (int i = 0; i < parents; i++) {
                named.add(MessageId.random(random));
            }
            SignedMessage m = SignedMessage.create(AUTHOR, group, named, Instant.ofEpochMilli(1), List.of(), "hi");
            MessageRecord record = new MessageRecord(group, m, Delivery.Status.RECEIVED, 0, 2);
            assertEquals(m.id, record.id());
            assertTrue(record.is(m.id));
            assertFalse(record.is(MessageId.random(random)));
            assertEquals(named, record.parents());
            assertEquals(parents, record.parentCount());
            for (int i = 0; i < parents; i++) {
                assertEquals(named.get(i), record.parent(i));
                assertTrue(record.hasParent(named.get(i)));
            }
            assertFalse(record.hasParent(m.id));
            int count = parents;
            assertThrows(IndexOutOfBoundsException.class, () -> record.parent(count));
        }
    }

    @Test
    void aWithdrawnMessageStaysWithdrawnThroughTheLogAndAShownOneKeepsFormat1() {
        SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0);
        MessageRecord record = new MessageRecord(m.group, m, Delivery.Status.RECEIVED, 0, 4);
        assertEquals(1, record.encodeStatus()[0]);
        record.withdrawn = true;
        MessageRecord loaded = MessageRecord.stored(m.group, m, 7, record.encodeStatus());
        assertTrue(loaded.withdrawn);
        assertEquals(Delivery.Status.RECEIVED, loaded.status);
        record.withdrawn = false;
        assertEquals(false, MessageRecord.stored(m.group, m, 7, record.encodeStatus()).withdrawn);
    }

    /** Format 5, the last one an earlier release kept in the store: moved as it was. */
    @Test
    void aRecordOfTheLastReleaseMovesWithEachScheme() {
        for (SignedMessage m : ContentBatches.sign(AUTHOR, drafts(3)).subList(1, 3)) {
            movesIntact(m, new WireWriter().u8(5).bytes(encode(m)));
        }
        SignedMessage ofIds = SignedMessage.signBatch(AUTHOR, drafts(3)).get(2); // not of that release, read alike
        movesIntact(ofIds, new WireWriter().u8(5).bytes(encode(ofIds)));
        SignedMessage alone = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0);
        movesIntact(alone, new WireWriter().u8(5).bytes(encode(alone)));
    }

    /** Format 4, stored before batch signatures: the message had no scheme byte. */
    @Test
    void aRecordFromBeforeTheSchemesMovesAsScheme1() {
        SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0);
        movesIntact(m, new WireWriter().u8(4).bytes(withoutSchemeByte(m)));
    }

    private static void movesIntact(SignedMessage m, WireWriter legacyMessage) {
        byte[] legacy = legacyMessage.u8(Delivery.Status.CONFIRMED.ordinal()).u16(4).u16(3).u16(1)
                .bytes(MISSED.toBytes()).toByteArray();
        LegacyMessages.Converted moved = MessageRecord.fromLegacy(legacy);
        assertEquals(m.id, moved.id());
        assertArrayEquals(encode(m), moved.message(), "the message with its scheme byte, as sent");
        SignedMessage read = SignedMessage.read(new WireReader(moved.message()));
        assertTrue(read.hasValidSignature(AUTHOR), "the signature over the same bytes as before");
        MessageRecord record = MessageRecord.stored(read.group, read, 0, moved.status());
        assertEquals(Delivery.Status.CONFIRMED, record.status);
        assertEquals(3, record.reached);
        assertEquals(List.of(MISSED), record.missing);
    }

    /** Format 3, from before 0.2: no scheme byte either, and the members reached listed. */
    @Test
    void aRecordThatListedTheMembersReachedMovesToo() {
        SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0);
        byte[] stored = new WireWriter().u8(3).bytes(withoutSchemeByte(m)).u8(Delivery.Status.ACKNOWLEDGED.ordinal())
                .u16(4).u16(2).bytes(MISSED.toBytes()).bytes(AUTHOR.peerId().toBytes()).toByteArray();
        LegacyMessages.Converted moved = MessageRecord.fromLegacy(stored);
        SignedMessage read = SignedMessage.read(new WireReader(moved.message()));
        MessageRecord record = MessageRecord.stored(read.group, read, 0, moved.status());
        assertEquals(2, record.reached);
        assertEquals(Delivery.Status.ACKNOWLEDGED, record.status);
    }

    @Test
    void anUnknownFormatCannotBeMoved() {
        byte[] bytes = new WireWriter().u8(6).bytes(encode(SignedMessage.signBatch(AUTHOR, drafts(1)).get(0)))
                .toByteArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MessageRecord.fromLegacy(bytes));
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
