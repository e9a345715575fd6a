package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.ringchat.api.Delivery;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerAddress;
import org.ringchat.state.log.Change;
import org.ringchat.state.log.OpHash;
import org.ringchat.state.log.StateLog;
import org.ringchat.state.log.StateOp;

/**
 * Which messages of a removed author show (docs/PROTOCOL.md, "Relay"): the same ones, whatever the order
 * in which they and the removal arrive, once the removal is known.
 */
class RemovedAuthorsTest {

    private static final int ORDERS = 200;

    private final TestIdentity owner = new TestIdentity();
    private final TestIdentity member = new TestIdentity();
    private final TestIdentity removed = new TestIdentity();
    private final StateLog log;
    /** The ops up to the removal, which every member has from the start. */
    private final List<StateOp> opsBefore;
    private final List<OpHash> beforeRemoval;
    /** The ops that end the removed member's membership, made on the state before the removal: they arrive together. */
    private List<StateOp> removals = List.of();
    private long clock = 1_000_000;
    /** The messages as the message log would give them back. */
    private final Map<MessageId, SignedMessage> bodies = new HashMap<>();

    RemovedAuthorsTest() {
        StateOp genesis = StateOp.genesis(owner, "g", address(owner), clock);
        log = new StateLog(genesis.groupId(), owner);
        log.add(genesis);
        change(new Change.AddMember(address(member), true));
        change(new Change.AddMember(address(removed), false));
        beforeRemoval = List.copyOf(log.heads());
        opsBefore = List.copyOf(log.ops());
    }

    /** Makes these ops the removal; returns the state after it. */
    private List<OpHash> removedBy(StateOp... ops) {
        removals = List.of(ops);
        return removals.stream().map(StateOp::hash).sorted().toList();
    }

    private StateOp onStateBeforeRemoval(TestIdentity author, Change change) {
        return StateOp.sign(author, log.groupId(), beforeRemoval, ++clock, change);
    }

    private StateOp change(Change change) {
        StateOp op = StateOp.sign(owner, log.groupId(), log.heads(), ++clock, change);
        log.add(op);
        return op;
    }

    private static PeerAddress address(TestIdentity id) {
        return new PeerAddress(id.peerId(), "127.0.0.1", 7000);
    }

    private SignedMessage message(TestIdentity author, List<OpHash> state, String text, SignedMessage... parents) {
        List<MessageId> ids = new ArrayList<>();
        for (SignedMessage parent : parents) {
            ids.add(parent.id);
        }
        SignedMessage m = SignedMessage.create(author, log.groupId(), ids, Instant.ofEpochMilli(++clock), state, text);
        bodies.put(m.id, m);
        return m;
    }

    /**
     * The texts shown after the messages and the removal arrive in this order (null stands for the
     * removal), each judged as {@link MessageIntake} does: a message naming a state not known yet waits
     * for it; when the removal comes, what is shown is judged again.
     */
    private Set<String> shownAfter(List<SignedMessage> arrival) {
        StateLog memberLog = new StateLog(log.groupId(), member);
        opsBefore.forEach(memberLog::add);
        Group group = new Group(memberLog, new InMemoryStore().map("ops"));
        RemovedAuthors removedAuthors = new RemovedAuthors(record -> Optional.ofNullable(bodies.get(record.id())));
        List<SignedMessage> parked = new ArrayList<>();
        for (SignedMessage message : arrival) {
            if (message == null) {
                removals.forEach(memberLog::add);
                group.info = memberLog.state().orElseThrow().toGroupInfo();
                parked.forEach(m -> take(group, removedAuthors, m));
                RemovedAuthors.Rejudged rejudged = removedAuthors.rejudge(group);
                rejudged.withdrawn().forEach(record -> record.withdrawn = true);
                rejudged.restored().forEach(record -> record.withdrawn = false);
                rejudged.named().forEach(named -> take(group, removedAuthors, named));
            } else if (memberLog.stateAt(message.stateHeads).isEmpty()) {
                parked.add(message);
            } else {
                take(group, removedAuthors, message);
            }
        }
        Set<String> shown = new HashSet<>();
        group.graph.ordered().stream().filter(r -> !r.withdrawn).forEach(r -> shown.add(bodies.get(r.id()).text()));
        return shown;
    }

    private void assertTheseShowWhateverTheOrder(Set<String> expected, SignedMessage... messages) {
        List<SignedMessage> all = new ArrayList<>(List.of(messages));
        all.add(null); // the removal
        Random random = new Random(7);
        Set<Integer> removalPlaces = new HashSet<>();
        for (int i = 0; i < ORDERS; i++) {
            List<SignedMessage> arrival = new ArrayList<>(all);
            Collections.shuffle(arrival, random);
            removalPlaces.add(arrival.indexOf(null));
            assertEquals(expected, shownAfter(arrival),
                    "arrival " + arrival.stream().map(m -> m == null ? "(the removal)" : m.text()).toList());
        }
        assertEquals(all.size(), removalPlaces.size(), "the removal came first, last and everywhere between");
    }

    private static void take(Group group, RemovedAuthors removedAuthors, SignedMessage message) {
        if (removedAuthors.judge(group, message) != RemovedAuthors.Verdict.SHOW) {
            return;
        }
        group.graph.add(new MessageRecord(message.group, message, Delivery.Status.RECEIVED, 0, 2));
        for (SignedMessage cited : removedAuthors.shown(group, message)) {
            MessageRecord withdrawn = group.graph.get(cited.id);
            if (withdrawn == null) {
                group.graph.add(new MessageRecord(cited.group, cited, Delivery.Status.RECEIVED, 0, 2));
            } else {
                withdrawn.withdrawn = false;
            }
        }
    }

    @Test
    void theSameMessagesShowWhateverTheOrderOfArrivalOfThemAndOfTheRemoval() {
        List<OpHash> afterRemoval = removedBy(onStateBeforeRemoval(owner, new Change.RemoveMember(removed.peerId())));
        SignedMessage early = message(removed, beforeRemoval, "written before it knew");
        SignedMessage followUp = message(removed, beforeRemoval, "its follow-up", early);
        SignedMessage answer = message(member, beforeRemoval, "answered before the member knew", followUp);
        SignedMessage unanswered = message(removed, beforeRemoval, "nobody took this");
        SignedMessage citedLate = message(removed, beforeRemoval, "cited by a member that knew");
        SignedMessage knowing = message(member, afterRemoval, "written after the removal", answer, citedLate);

        assertTheseShowWhateverTheOrder(Set.of("written before it knew", "its follow-up",
                "answered before the member knew", "written after the removal"),
                early, followUp, answer, unanswered, citedLate, knowing);
    }

    @Test
    void aMemberThatLeavesKeepsItsLastMessagesShownThoughNobodyAnsweredThem() {
        SignedMessage hello = message(removed, beforeRemoval, "hello");
        SignedMessage bye = message(removed, beforeRemoval, "bye all", hello);
        List<OpHash> afterLeaving = removedBy(onStateBeforeRemoval(removed, new Change.Leave(Optional.of(bye.id))));
        SignedMessage unanswered = message(removed, beforeRemoval, "not named by its leaving");
        SignedMessage later = message(member, afterLeaving, "written after it left");

        assertTheseShowWhateverTheOrder(Set.of("hello", "bye all", "written after it left"),
                hello, bye, unanswered, later);
    }

    @Test
    void aRemovalKeepsTheMessagesUpToTheNamedOneShownAndNoneWrittenAfterIt() {
        SignedMessage first = message(removed, beforeRemoval, "first");
        SignedMessage last = message(removed, beforeRemoval, "last words the owner holds", first);
        List<OpHash> afterRemoval = removedBy(onStateBeforeRemoval(owner,
                new Change.RemoveMember(removed.peerId(), Optional.of(last.id))));
        SignedMessage unaware = message(removed, beforeRemoval, "written after its removal", last);
        SignedMessage knowing = message(member, afterRemoval, "written after the removal", last);

        assertTheseShowWhateverTheOrder(Set.of("first", "last words the owner holds", "written after the removal"),
                first, last, unaware, knowing);
    }

    @Test
    void aRemovedMemberCannotBringBackWhatItWroteSinceByLeaving() {
        SignedMessage before = message(removed, beforeRemoval, "before");
        SignedMessage since = message(removed, beforeRemoval, "written after its removal", before);
        List<OpHash> afterRemoval = removedBy(
                onStateBeforeRemoval(owner, new Change.RemoveMember(removed.peerId(), Optional.of(before.id))),
                onStateBeforeRemoval(removed, new Change.Leave(Optional.of(since.id))));
        SignedMessage knowing = message(member, afterRemoval, "written after the removal");

        assertTheseShowWhateverTheOrder(Set.of("before", "written after the removal"), before, since, knowing);
    }

    @Test
    void ofConcurrentRemovalsTheOneNamingAMessageKeepsItShown() {
        SignedMessage last = message(removed, beforeRemoval, "last words one owner holds");
        List<OpHash> afterRemoval = removedBy(onStateBeforeRemoval(owner, new Change.RemoveMember(removed.peerId())),
                onStateBeforeRemoval(member, new Change.RemoveMember(removed.peerId(), Optional.of(last.id))));
        SignedMessage knowing = message(member, afterRemoval, "written after the removal");

        assertTheseShowWhateverTheOrder(Set.of("last words one owner holds", "written after the removal"), last, knowing);
    }

    @Test
    void aMessageNamingAStateOlderThanItsAuthorsPreviousOneIsRefused() {
        List<OpHash> afterRemoval = removedBy(onStateBeforeRemoval(owner, new Change.RemoveMember(removed.peerId())));
        removals.forEach(log::add);
        SignedMessage first = message(member, afterRemoval, "first");
        SignedMessage rewound = message(member, beforeRemoval, "back in time", first);
        InMemoryStore store = new InMemoryStore();
        Group group = new Group(log, store.map("ops"));
        RemovedAuthors removedAuthors = new RemovedAuthors(record -> Optional.ofNullable(bodies.get(record.id())));
        assertEquals(RemovedAuthors.Verdict.SHOW, removedAuthors.judge(group, first));
        group.graph.add(new MessageRecord(first.group, first, Delivery.Status.RECEIVED, 0, 2));
        assertEquals(RemovedAuthors.Verdict.REWINDS, removedAuthors.judge(group, rewound));
    }
}
