package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.state.log.OpHash;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/** A message's ID follows from its author and signed content (PROTOCOL.md, "Messages"). */
class MessageIdTest {

    private static final TestIdentity AUTHOR = new TestIdentity();
    private static final TestIdentity OTHER = new TestIdentity();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final GroupId GROUP = GroupId.random(RANDOM);
    private static final List<OpHash> STATE = List.of(OpHash.fromBytes(new byte[OpHash.LENGTH]));
    private static final Instant AT = Instant.ofEpochMilli(1_000_000);

    @Test
    void theSameContentByTheSameAuthorHasTheSameIdAndAnyOtherAnother() {
        SignedMessage message = SignedMessage.create(AUTHOR, GROUP, List.of(), AT, STATE, "hi");
        assertTrue(message.hasBoundId());
        assertEquals(message.id, SignedMessage.create(AUTHOR, GROUP, List.of(), AT, STATE, "hi").id);
        assertNotEquals(message.id, SignedMessage.create(OTHER, GROUP, List.of(), AT, STATE, "hi").id);
        assertNotEquals(message.id, SignedMessage.create(AUTHOR, GROUP, List.of(), AT, STATE, "hi!").id);
        assertNotEquals(message.id, SignedMessage.create(AUTHOR, GROUP, List.of(message.id), AT, STATE, "hi").id);
    }

    @Test
    void aMessageSignedUnderAnotherIdIsToldApart() {
        SignedMessage real = SignedMessage.create(AUTHOR, GROUP, List.of(), AT, STATE, "hi");
        SignedMessage squat = SignedMessage.signBatch(OTHER, List.of(
                new SignedMessage.Draft(GROUP, real.id, List.of(), AT, STATE, "hi"))).get(0);
        assertTrue(squat.hasValidSignature(OTHER), "its signature is good");
        assertFalse(squat.hasBoundId(), "but its ID is not the one its author and content make");
    }

    @Test
    void noBoundIdNorAMessageCitingOnePassesForAnIdFromBeforeIdsWereBound() {
        SignedMessage real = SignedMessage.create(AUTHOR, GROUP, List.of(), AT, STATE, "hi");
        assertFalse(real.hasLegacyId());
        SignedMessage squat = SignedMessage.signBatch(OTHER, List.of(
                new SignedMessage.Draft(GROUP, real.id, List.of(), AT, STATE, "squatted"))).get(0);
        assertFalse(squat.hasBoundId());
        assertFalse(squat.hasLegacyId(), "a squat on a bound ID is no message from before");

        SignedMessage old = legacy(List.of(), "from before");
        assertTrue(old.hasLegacyId());
        assertTrue(legacy(List.of(old.id), "its follow-up").hasLegacyId());
        assertFalse(legacy(List.of(real.id), "citing a bound one").hasLegacyId(), "nothing from before cites one");
    }

    /** A message as a release before bound IDs wrote it: its ID drawn at random (1 in 65,536 looks bound: not those). */
    static SignedMessage legacy(TestIdentity author, GroupId group, List<MessageId> parents, List<OpHash> state,
                                Instant at, String text) {
        byte[] id = new byte[MessageId.LENGTH];
        RANDOM.nextBytes(id);
        id[MessageId.LENGTH - 1] = 1;
        return SignedMessage.signBatch(author, List.of(new SignedMessage.Draft(group, MessageId.fromBytes(id), parents,
                at, state, text))).get(0);
    }

    private static SignedMessage legacy(List<MessageId> parents, String text) {
        return legacy(AUTHOR, GROUP, parents, STATE, AT, text);
    }

    @Test
    void everyMessageOfABatchHasItsOwnBoundId() {
        SignedMessage.Draft first = SignedMessage.Draft.of(AUTHOR.publicKey(), GROUP, List.of(), AT, STATE, "one");
        SignedMessage.Draft second = SignedMessage.Draft.of(AUTHOR.publicKey(), GROUP, List.of(first.id()), AT, STATE,
                "two");
        List<SignedMessage> batch = SignedMessage.signBatch(AUTHOR, List.of(first, second));
        assertTrue(batch.stream().allMatch(SignedMessage::hasBoundId));
        assertEquals(List.of(first.id()), batch.get(1).parents);
    }

    @Test
    void aStoredMessageOfThePreviousReleaseWithARandomIdStillMovesIntoTheLog() {
        SignedMessage old = SignedMessage.signBatch(AUTHOR, List.of(
                new SignedMessage.Draft(GROUP, MessageId.random(RANDOM), List.of(), AT, STATE, "from before"))).get(0);
        byte[] stored = new WireWriter().u8(5).bytes(old.encode()).u8(Delivery.Status.CONFIRMED.ordinal())
                .u16(2).u16(2).u16(0).toByteArray();
        SignedMessage moved = SignedMessage.read(new WireReader(MessageRecord.fromLegacy(stored).message()));
        assertEquals(old.id, moved.id);
        assertFalse(moved.hasBoundId());
    }
}
