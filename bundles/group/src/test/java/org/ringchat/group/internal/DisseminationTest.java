package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.MessageTrace;
import org.ringchat.api.PeerId;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;
import org.ringchat.topology.ring.internal.RingTopology;
import org.ringchat.topology.tree.internal.TreeTopology;
import org.ringchat.wire.MalformedInputException;

/** The broadcast of a group's members on virtual time: hand-offs, reroutes, part reports and confirmations. */
class DisseminationTest {

    private static final GroupId GROUP = GroupId.fromBytes(sha256("group"));
    private static final long ACK_TIMEOUT_MILLIS = 200;
    private static final Dissemination.Settings SETTINGS = new Dissemination.Settings(2000);

    private final VirtualTime time = new VirtualTime();
    private final LoopbackNet net = new LoopbackNet(time);
    private final List<Member> members = new ArrayList<>();
    private int messagesSent;
    private Ring ring;

    /** One member: the broadcast plus what a host makes of it. */
    private final class Member implements Dissemination.Host {
        final PeerId id;
        final FailureDetector detector;
        final Dissemination dissemination;
        Topology topology = new RingTopology();
        /** Copies received (and the author's own), by message. */
        final Map<MessageId, Integer> stored = new HashMap<>();
        final Map<MessageId, Dissemination.Missing> completed = new HashMap<>();
        final Map<MessageId, Dissemination.Missing> confirmed = new HashMap<>();
        final Set<MessageId> own = new HashSet<>();
        boolean rejects;

        Member(int i) {
            id = PeerId.fromBytes(sha256("member " + i));
            Link link = net.linkFor(id);
            detector = new FailureDetector(link, time, FailureDetector.Settings.defaults(), new Random(i),
                    p -> ring.contains(p));
            dissemination = new Dissemination(id, link, time, detector, () -> topology, this,
                    peer -> ACK_TIMEOUT_MILLIS, SETTINGS);
            net.attach(id, (from, type, body) -> {
                detector.heard(from);
                switch (type) {
                    case FrameType.PROBE, FrameType.PROBE_ACK, FrameType.PROBE_REQUEST -> detector.onFrame(from, type, body);
                    default -> dissemination.onFrame(from, type, body);
                }
            });
        }

        @Override
        public Dissemination.Admission admit(PeerId from, GroupId group, MessageId id, byte[] payload) {
            if (rejects) {
                return Dissemination.Admission.REJECTED;
            }
            int copies = stored.merge(id, 1, Integer::sum);
            return copies == 1 ? Dissemination.Admission.NEW : Dissemination.Admission.DUPLICATE;
        }

        @Override
        public void acknowledged(GroupId group, MessageId id, PeerId by) {
        }

        @Override
        public void completed(GroupId group, MessageId id, boolean taken, Dissemination.Missing missing) {
            assertTrue(taken, "somebody took it");
            completed.put(id, missing);
            dissemination.confirm(group, id, missing);
        }

        @Override
        public Dissemination.Confirmation confirmed(GroupId group, MessageId id, Dissemination.Missing missing) {
            // as the engine's intake: what it holds has a record that knows
            if (!stored.containsKey(id)) {
                return Dissemination.Confirmation.NOT_HELD;
            }
            if (own.contains(id)) {
                return Dissemination.Confirmation.KNOWN;
            }
            Dissemination.Missing known = confirmed.get(id);
            Dissemination.Confirmation seen = Dissemination.Confirmation.of(known == null ? -1 : known.total(),
                    missing.total());
            if (seen == Dissemination.Confirmation.NEWS) {
                confirmed.put(id, missing);
            }
            return seen;
        }
    }

    private void group(int size) {
        for (int i = 0; i < size; i++) {
            members.add(new Member(i));
        }
        ring = Ring.of(GROUP, members.stream().map(m -> m.id).toList());
        members.forEach(m -> m.dissemination.setRing(GROUP, ring));
    }

    private MessageId send(Member author) {
        MessageId id = MessageId.fromBytes(java.util.Arrays.copyOf(sha256("message " + messagesSent++), MessageId.LENGTH));
        author.stored.put(id, 1);
        author.own.add(id);
        author.dissemination.originate(GROUP, id, "hello".getBytes(StandardCharsets.UTF_8));
        return id;
    }

    private Set<PeerId> stored(MessageId id) {
        return members.stream().filter(m -> m.stored.containsKey(id)).map(m -> m.id).collect(Collectors.toSet());
    }

    @Test
    void aHealthyGroupGetsEveryMessageOnceInNMinusOneCopies() {
        group(33);
        Member author = members.get(7);
        MessageId id = send(author);
        time.advance(1_000);

        assertEquals(members.size(), stored(id).size(), "every member has it");
        members.forEach(m -> assertEquals(1, m.stored.get(id), "once at " + m.id.shortText()));
        assertEquals(32, net.sent.get(FrameType.CHAT), "N-1 copies");
        assertEquals(Dissemination.Missing.NONE, author.completed.get(id));
        members.stream().filter(m -> m != author).forEach(m ->
                assertEquals(Dissemination.Missing.NONE, m.confirmed.get(id), "confirmed at " + m.id.shortText()));
    }

    @Test
    void theTracesOfAMessageFormItsPathFromTheAuthorToEveryMember() {
        group(20);
        Member author = members.get(3);
        MessageId id = send(author);
        time.advance(1_000);

        assertTrue(author.dissemination.trace(id).orElseThrow().receivedFrom().isEmpty(), "the author got it from nobody");
        Map<PeerId, PeerId> parentOf = new HashMap<>();
        for (Member m : members) {
            MessageTrace trace = m.dissemination.trace(id).orElseThrow();
            assertEquals(Set.copyOf(trace.handedTo()), trace.acknowledgedBy(), "every hand-off acknowledged at " + m.id.shortText());
            trace.handedTo().forEach(child -> assertEquals(null, parentOf.put(child, m.id), "handed to " + child.shortText() + " once"));
        }
        for (Member m : members) {
            if (m != author) {
                assertEquals(List.of(parentOf.get(m.id)), m.dissemination.trace(id).orElseThrow().receivedFrom(),
                        "the one hop into " + m.id.shortText() + " is the one its sender made");
            }
        }
        for (Member m : members) {
            PeerId at = m.id;
            for (int hops = 0; !at.equals(author.id); hops++) {
                assertTrue(hops < members.size(), "the hops from " + m.id.shortText() + " lead back to the author");
                at = parentOf.get(at);
            }
        }
    }

    @Test
    void whileMembersKeepJoiningTheWatchedLinksMoveOnlyOnceTheMembershipHasSettled() {
        for (int i = 0; i < 40; i++) {
            members.add(new Member(i));
        }
        List<PeerId> ids = members.stream().map(m -> m.id).toList();
        ring = Ring.of(GROUP, ids);
        Member first = members.get(0);
        RingTopology topology = new RingTopology();
        Ring small = Ring.of(GROUP, ids.subList(0, 8));
        first.dissemination.setRing(GROUP, small);
        assertEquals(topology.links(small, first.id), first.detector.watched(), "its first ring is watched at once");

        // A join every 300 ms for about 10 s, as a group of 40 forms.
        for (int size = 9; size <= 40; size++) {
            first.dissemination.setRing(GROUP, Ring.of(GROUP, ids.subList(0, size)));
            time.advance(300);
        }
        assertEquals(topology.links(small, first.id), first.detector.watched(), "the former links, still members");
        time.advance(2_000);
        assertEquals(topology.links(small, first.id), first.detector.watched(), "not quiet long enough yet");
        time.advance(1_000);
        assertEquals(topology.links(ring, first.id), first.detector.watched());
    }

    @Test
    void crashedMembersAreRoutedAroundAndNamedMissing() {
        group(40);
        Member author = members.get(0);
        Set<PeerId> crashed = new HashSet<>();
        for (int i = 5; i < 40; i += 3) {
            crashed.add(members.get(i).id);
        }
        net.crashed.addAll(crashed);

        MessageId id = send(author);
        time.advance(10_000);

        Set<PeerId> live = members.stream().map(m -> m.id).filter(p -> !crashed.contains(p)).collect(Collectors.toSet());
        assertEquals(live, stored(id), "every live member has it, no crashed one");
        members.stream().filter(m -> live.contains(m.id)).forEach(m -> assertEquals(1, m.stored.get(id)));
        Dissemination.Missing missing = author.completed.get(id);
        assertEquals(crashed.size(), missing.total());
        assertEquals(crashed, new HashSet<>(missing.listed()));
    }

    @Test
    void aMemberThatRefusesAMessageIsPassedOverAndMissing() {
        group(8);
        Member refusing = members.get(3);
        refusing.rejects = true;
        MessageId id = send(members.get(0));
        time.advance(5_000);

        assertEquals(7, stored(id).size());
        assertEquals(List.of(refusing.id), members.get(0).completed.get(id).listed());
    }

    @Test
    void aPartWhoseTakerCrashesBeforeCoveringItIsHandedOnAgain() {
        group(32);
        Member author = members.get(0);
        // the author's last skip link (16 ahead) takes half the ring: it acknowledges (at the end of its turn),
        // then dies before anything it hands on arrives
        PeerId half = ring.after(author.id, 16);
        Member taker = member(half);
        net.lose = (from, type) -> from.equals(half) && type == FrameType.CHAT;
        Topology ringTopology = taker.topology;
        taker.topology = new Topology() {
            @Override
            public String name() {
                return ringTopology.name();
            }

            @Override
            public Set<PeerId> links(Ring r, PeerId self) {
                return Set.of();
            }

            @Override
            public List<org.ringchat.spi.HandOff> forward(Ring r, PeerId self, PeerId route) {
                time.schedule(1, () -> net.crashed.add(self));
                return ringTopology.forward(r, self, route);
            }

            @Override
            public List<org.ringchat.spi.HandOff> reroute(Ring r, PeerId self, org.ringchat.spi.HandOff failed) {
                return List.of();
            }
        };

        MessageId id = send(author);
        time.advance(20_000);

        Set<PeerId> expected = members.stream().map(m -> m.id).collect(Collectors.toSet());
        assertEquals(expected, stored(id), "the part of the crashed taker was covered after the part timeout");
        members.forEach(m -> assertEquals(1, m.stored.get(id), "stored once at " + m.id.shortText()));
        assertEquals(0, author.completed.get(id).total(), "the taker acknowledged: it has the message");
    }

    @Test
    void aPartHandedOnAgainIsReportedDoneOnlyWhenItReallyIs() {
        // A chain A -> B -> C -> D -> E: E is gone, and D's report is slow, so B's part outlasts the part
        // timeout and A hands it to C again, with the route C already covers. C answers when its part is done
        // (E missing; or sooner, when its own timer for D hands D's part on), not at once: the author must not
        // hear "nobody missing" while E lacks the message.
        group(5);
        members.forEach(m -> m.topology = chain());
        Member author = members.get(0);
        PeerId d = ring.after(author.id, 3);
        PeerId e = ring.after(author.id, 4);
        net.crashed.add(e);
        net.delay = (from, type) -> from.equals(d) && type == FrameType.PARTS_DONE ? 3 * SETTINGS.partTimeoutMillis() : 0;

        MessageId id = send(author);
        time.advance(10_000);

        assertEquals(List.of(e), author.completed.get(id).listed(), "E missing, and nobody else");
        assertEquals(Set.of(e), members.stream().map(m -> m.id).filter(p -> !stored(id).contains(p))
                .collect(Collectors.toSet()));
    }

    /** Each member hands the message to the next one, up to the author: the slowest, plainest topology. */
    private static Topology chain() {
        return new Topology() {
            @Override
            public String name() {
                return "chain";
            }

            @Override
            public Set<PeerId> links(Ring r, PeerId self) {
                return Set.of(r.after(self, 1));
            }

            @Override
            public List<org.ringchat.spi.HandOff> forward(Ring r, PeerId self, PeerId end) {
                PeerId next = r.after(self, 1);
                return next.equals(end) ? List.of() : List.of(new org.ringchat.spi.HandOff(next, end));
            }

            @Override
            public List<org.ringchat.spi.HandOff> reroute(Ring r, PeerId self, org.ringchat.spi.HandOff failed) {
                PeerId next = r.after(failed.target(), 1);
                return next.equals(failed.route()) || next.equals(self) ? List.of()
                        : List.of(new org.ringchat.spi.HandOff(next, failed.route()));
            }
        };
    }

    @Test
    void aMemberBetweenTwoTopologiesTakesTheMessageAndPassesItOnOnceItHasOne() {
        group(8);
        Member author = members.get(0);
        Member swapping = members.stream().filter(m -> m.id.equals(ring.after(author.id, 4))).findFirst().orElseThrow();
        swapping.topology = null;

        MessageId id = send(author);
        time.advance(100);
        assertTrue(author.dissemination.trace(id).orElseThrow().acknowledgedBy().contains(swapping.id),
                "taken at once, not left to time out");
        assertEquals(5, stored(id).size(), "it holds the message, its part (the 3 after it) waits for a topology");

        swapping.topology = new RingTopology();
        swapping.dissemination.topologyChanged();
        time.advance(1_000);

        assertEquals(8, stored(id).size());
        assertEquals(Dissemination.Missing.NONE, author.completed.get(id));
    }

    @Test
    void membersOnAnotherTopologySpreadItByTheirsAndNothingIsLost() {
        group(30);
        for (int i = 0; i < members.size(); i += 2) {
            members.get(i).topology = new TreeTopology();
        }
        MessageId id = send(members.get(1));
        time.advance(10_000);

        assertEquals(members.size(), stored(id).size(), "every member has it");
        // Each member on the tree spreads it to the whole group once: duplicates, dropped by the host. Two such
        // spreads may wait for each other (each handed the other a part); the part timeout breaks the wait, at
        // the price of asking the target again (up to three times) and then handing its part on.
        int foreign = members.size() / 2;
        assertTrue(net.sent.get(FrameType.CHAT) <= 4 * (1 + foreign) * (members.size() - 1), "copies: " + net.sent);
    }

    @Test
    void aMemberKnownToBeDownIsNotTried() {
        group(8);
        Member author = members.get(0);
        Member down = members.stream().filter(m -> m.id.equals(ring.after(author.id, 1))).findFirst().orElseThrow();
        net.refusing.add(down.id);
        author.detector.wentOffline(down.id);
        int before = net.sent.getOrDefault(FrameType.CHAT, 0);

        MessageId id = send(author);
        time.advance(2_000);

        assertEquals(7, stored(id).size());
        assertEquals(6, net.sent.get(FrameType.CHAT) - before, "one copy for each live member but the author");
        assertEquals(List.of(down.id), author.completed.get(id).listed());
    }

    private Member member(PeerId id) {
        return members.stream().filter(m -> m.id.equals(id)).findFirst().orElseThrow();
    }

    @Test
    void theMessagesOfOneTurnAreAcknowledgedReportedAndConfirmedInOneFrameEach() {
        group(2);
        Member author = members.get(0);
        List<MessageId> sent = new ArrayList<>();
        time.schedule(0, () -> {
            for (int i = 0; i < 10; i++) {
                sent.add(send(author));
            }
        });
        time.advance(1_000);

        assertEquals(10, net.sent.get(FrameType.CHAT));
        assertEquals(1, net.sent.get(FrameType.ACKS), "one acknowledgement of the ten");
        assertEquals(1, net.sent.get(FrameType.PARTS_DONE), "one report of the ten parts");
        assertEquals(1, net.sent.get(FrameType.CONFIRMS), "one confirmation of the ten");
        sent.forEach(id -> assertEquals(Dissemination.Missing.NONE, members.get(1).confirmed.get(id)));
    }

    @Test
    void aLostAcknowledgementIsMadeGoodByTheNextOneOnTheLink() {
        group(2);
        Member author = members.get(0);
        int[] acks = {0};
        net.lose = (from, type) -> type == FrameType.ACKS && acks[0]++ == 0;

        MessageId first = send(author);
        time.advance(50);
        MessageId second = send(author);
        time.advance(5_000);

        assertEquals(2, acks[0], "two acknowledgements, the first lost");
        assertEquals(2, net.sent.get(FrameType.CHAT), "the second acknowledgement holds the first message too: nothing sent again");
        assertEquals(Dissemination.Missing.NONE, author.completed.get(first));
        assertEquals(Dissemination.Missing.NONE, author.completed.get(second));
    }

    @Test
    void aLostChatIsSentAgainOnItsLinkAndTheTargetIsNotMissing() {
        group(2);
        Member author = members.get(0);
        int[] chats = {0};
        net.lose = (from, type) -> type == FrameType.CHAT && chats[0]++ == 0;

        MessageId id = send(author);
        time.advance(5_000);

        assertEquals(2, net.sent.get(FrameType.CHAT), "sent once more after the acknowledgement timeout");
        assertEquals(Set.of(author.id, members.get(1).id), stored(id));
        assertEquals(Dissemination.Missing.NONE, author.completed.get(id));
    }

    @Test
    void chatsThatOvertakeEachOtherAreAcknowledgedAsTheyCome() {
        group(2);
        Member author = members.get(0);
        int[] chats = {0};
        net.delay = (from, type) -> type == FrameType.CHAT && chats[0]++ == 0 ? 100 : 0;

        MessageId first = send(author);
        MessageId second = send(author);
        time.advance(5_000);

        assertEquals(2, net.sent.get(FrameType.CHAT), "each sent once");
        assertEquals(Dissemination.Missing.NONE, author.completed.get(first));
        assertEquals(Dissemination.Missing.NONE, author.completed.get(second));
    }

    @Test
    void aLinkThatDiesMidRangeMissesOnlyWhatItNeverAcknowledged() {
        group(8);
        Member author = members.get(0);
        // The author's skip link 4 ahead covers the half [4, 8): it takes two messages, acknowledges both in one
        // frame, and is gone before the third comes; none of its parts is reported done.
        Member half = member(ring.after(author.id, 4));
        time.schedule(10, () -> net.crashed.add(half.id));

        MessageId first = send(author);
        MessageId second = send(author);
        time.advance(20);
        MessageId third = send(author);
        time.advance(20_000);

        Set<PeerId> live = members.stream().map(m -> m.id).filter(p -> !p.equals(half.id)).collect(Collectors.toSet());
        assertEquals(Dissemination.Missing.NONE, author.completed.get(first), "held by the half's taker, handed on");
        assertEquals(Dissemination.Missing.NONE, author.completed.get(second));
        assertEquals(List.of(half.id), author.completed.get(third).listed());
        for (MessageId id : List.of(first, second, third)) {
            assertTrue(stored(id).containsAll(live), "every live member has it");
        }
    }

    @Test
    void aPeerAcknowledgingWhatItWasNeverHandedChangesNothingElse() {
        group(8);
        Member author = members.get(0);
        Member crashed = member(ring.after(author.id, 2));
        Member liar = member(ring.after(author.id, 1));
        net.crashed.add(crashed.id);

        MessageId id = send(author);
        long epoch = BroadcastFrames.Chat.decode(net.lastSent.get(FrameType.CHAT)).epoch();
        List<SeqRanges.Range> everything = List.of(new SeqRanges.Range(Long.MIN_VALUE, Long.MAX_VALUE));
        author.dissemination.onFrame(liar.id, FrameType.ACKS, new BroadcastFrames.Acks(epoch, everything).encode());
        author.dissemination.onFrame(liar.id, FrameType.PARTS_DONE,
                new BroadcastFrames.PartsDone(epoch, everything, List.of()).encode());
        time.advance(10_000);

        assertEquals(List.of(crashed.id), author.completed.get(id).listed(), "a peer speaks for its own link only");
    }

    @Test
    void reportsOfTooManyOrDisorderedRangesAreRejected() {
        group(2);
        Dissemination dissemination = members.get(0).dissemination;
        PeerId peer = members.get(1).id;
        List<SeqRanges.Range> tooMany = new ArrayList<>();
        for (int i = 0; i <= SeqRanges.MAX_RANGES; i++) {
            tooMany.add(new SeqRanges.Range(3L * i, 3L * i + 1));
        }
        for (List<SeqRanges.Range> ranges : List.of(tooMany,
                List.of(new SeqRanges.Range(5, 4)),
                List.of(new SeqRanges.Range(10, 20), new SeqRanges.Range(1, 2)),
                List.of(new SeqRanges.Range(1, 5), new SeqRanges.Range(6, 9)),
                List.of(new SeqRanges.Range(0, Long.MAX_VALUE), new SeqRanges.Range(5, 6)))) {
            byte[] body = new BroadcastFrames.Acks(1, ranges).encode();
            MalformedInputException e = assertThrows(MalformedInputException.class,
                    () -> dissemination.onFrame(peer, FrameType.ACKS, body));
            assertTrue(e.getMessage().contains("range"), e.getMessage());
        }
    }

    /**
     * The broadcast remembers a confirmation of a message its host does not hold; when it comes again after the
     * message, the host's record judges it news, takes it, and passes it on.
     */
    @Test
    void aConfirmationThatCameBeforeItsMessageIsTakenWhenItComesAgainAfterIt() {
        group(8);
        Member author = members.get(0);
        Member early = members.stream().filter(m -> m.id.equals(ring.after(author.id, 1))).findFirst().orElseThrow();
        MessageId id = MessageId.fromBytes(java.util.Arrays.copyOf(sha256("not yet here"), MessageId.LENGTH));
        byte[] confirms = new BroadcastFrames.Confirms(GROUP, "ring", author.id,
                List.of(new BroadcastFrames.Confirmed(id, Dissemination.Missing.NONE))).encode();

        early.dissemination.onFrame(author.id, FrameType.CONFIRMS, confirms);
        time.advance(1_000);
        int passedOn = net.sent.getOrDefault(FrameType.CONFIRMS, 0);
        assertTrue(passedOn > 0, "passed on the first time");
        assertNull(early.confirmed.get(id), "not held: nothing to confirm");
        early.dissemination.onFrame(author.id, FrameType.CONFIRMS, confirms);
        time.advance(1_000);
        assertEquals(passedOn, net.sent.get(FrameType.CONFIRMS), "the broadcast remembers it");

        early.stored.put(id, 1); // the message came
        early.dissemination.onFrame(author.id, FrameType.CONFIRMS, confirms);
        time.advance(1_000);
        assertEquals(Dissemination.Missing.NONE, early.confirmed.get(id), "taken now");
        int after = net.sent.get(FrameType.CONFIRMS);
        assertTrue(after > passedOn, "and passed on");
        early.dissemination.onFrame(author.id, FrameType.CONFIRMS, confirms);
        time.advance(1_000);
        assertEquals(after, net.sent.get(FrameType.CONFIRMS), "once");
    }

    @Test
    void anAcknowledgementAfterTheTimeoutCountsTheMemberWhileThePartIsUnderWay() {
        group(8);
        Member author = members.get(0);
        // the skip link 4 ahead covers half the ring; it acknowledges after both sends of the CHAT timed out, and
        // the member after it, which takes its part over, is slow to report it done
        PeerId late = ring.after(author.id, 4);
        PeerId next = ring.after(author.id, 5);
        net.delay = (from, type) -> from.equals(late) && type == FrameType.ACKS ? 2 * ACK_TIMEOUT_MILLIS + 50
                : from.equals(next) && type == FrameType.PARTS_DONE ? 3 * ACK_TIMEOUT_MILLIS : 0;

        MessageId id = send(author);
        time.advance(10_000);

        assertEquals(members.size(), stored(id).size());
        assertEquals(Dissemination.Missing.NONE, author.completed.get(id), "counted when its acknowledgement came");
    }

    @Test
    void aMemberNamedMissingHearsItEvenWhenTheSenderTakesItForDown() {
        group(8);
        Member author = members.get(0);
        Member late = members.stream().filter(m -> m.id.equals(ring.after(author.id, 1))).findFirst().orElseThrow();
        net.delay = (from, type) -> from.equals(late.id) ? 2 * ACK_TIMEOUT_MILLIS + 50 : 0; // after both sends

        MessageId id = send(author);
        time.advance(ACK_TIMEOUT_MILLIS / 2);
        author.detector.wentOffline(late.id);
        time.advance(2_000);

        assertEquals(List.of(late.id), author.completed.get(id).listed(), "its part was done before it acknowledged");
        assertEquals(List.of(late.id), late.confirmed.get(id).listed(),
                "the CONFIRM reached it, so that it tells the author that it holds the message (HOLDS)");
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
