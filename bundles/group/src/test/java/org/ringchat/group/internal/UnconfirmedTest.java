package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ringchat.group.internal.BatchSignatureTest.AUTHOR;
import static org.ringchat.group.internal.BatchSignatureTest.drafts;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;

/** The messages a member asks a linked member about: those it holds without a confirmation it can show as final. */
class UnconfirmedTest {

    private final PeerId self = new TestIdentity().peerId();
    private final GroupId group = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0).group;
    private long now;
    private final Unconfirmed unconfirmed = new Unconfirmed(self, () -> now);

    @Test
    void aReceivedMessageWaitsUntilAConfirmationThatDoesNotNameThisMemberMissing() {
        MessageRecord record = received(1).get(0);
        unconfirmed.statusOf(group, record);
        assertEquals(1, unconfirmed.size(group));

        record.confirm(new Dissemination.Missing(1, List.of(self)));
        unconfirmed.statusOf(group, record);
        assertEquals(1, unconfirmed.size(group), "named missing: the author must still hear that it holds it");

        record.confirm(Dissemination.Missing.NONE);
        unconfirmed.statusOf(group, record);
        assertEquals(0, unconfirmed.size(group));
    }

    @Test
    void ownAndWithdrawnMessagesAreNotAskedAbout() {
        SignedMessage own = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0);
        Unconfirmed authors = new Unconfirmed(AUTHOR.peerId(), () -> now);
        authors.statusOf(group, new MessageRecord(own.group, own, Delivery.Status.ACKNOWLEDGED, 1, 3));
        assertEquals(0, authors.size(group));

        MessageRecord withdrawn = received(1).get(0);
        withdrawn.withdrawn = true;
        unconfirmed.statusOf(group, withdrawn);
        assertEquals(0, unconfirmed.size(group));
    }

    @Test
    void onlyMessagesThatWaitedLongEnoughAreDueAndThoseAskedAboutGoToTheBackOfTheLine() {
        List<MessageRecord> records = received(5);
        records.subList(0, 3).forEach(r -> unconfirmed.statusOf(group, r));
        now = 1000;
        records.subList(3, 5).forEach(r -> unconfirmed.statusOf(group, r));

        assertEquals(ids(records.subList(0, 2)), unconfirmed.due(group, 0, 2));
        assertEquals(List.of(records.get(2).id(), records.get(0).id()), unconfirmed.due(group, 0, 2),
                "the third, then the first again: the second was asked about after it");
        assertEquals(5, unconfirmed.due(group, 1000, 64).size());
    }

    @Test
    void aMessageIsAskedAboutOnceWhateverItsStatusesAndNotOnceConfirmed() {
        List<MessageRecord> records = received(3);
        records.forEach(r -> unconfirmed.statusOf(group, r));
        records.get(0).confirm(Dissemination.Missing.NONE);
        unconfirmed.statusOf(group, records.get(0));
        records.get(1).confirm(new Dissemination.Missing(1, List.of(self)));
        unconfirmed.statusOf(group, records.get(1));
        unconfirmed.statusOf(group, records.get(1));

        assertEquals(ids(records.subList(1, 3)), unconfirmed.due(group, 0, 64));
        records.get(2).confirm(Dissemination.Missing.NONE);
        assertEquals(ids(records.subList(1, 2)), unconfirmed.due(group, 0, 64));
        assertEquals(1, unconfirmed.size(group));
    }

    @Test
    void theOldestGoOnceAGroupHoldsTooMany() {
        List<MessageRecord> records = received(Unconfirmed.MAX_PER_GROUP + 1);
        records.forEach(r -> unconfirmed.statusOf(group, r));
        assertEquals(Unconfirmed.MAX_PER_GROUP, unconfirmed.size(group));
        assertEquals(records.get(1).id(), unconfirmed.due(group, 0, 1).get(0));
    }

    private static List<MessageRecord> received(int count) {
        return SignedMessage.signBatch(AUTHOR, drafts(count)).stream()
                .map(m -> new MessageRecord(m.group, m, Delivery.Status.RECEIVED, 0, 3)).toList();
    }

    private static List<MessageId> ids(List<MessageRecord> records) {
        return records.stream().map(r -> r.id()).toList();
    }
}
