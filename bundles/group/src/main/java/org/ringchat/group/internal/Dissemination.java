package org.ringchat.group.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.MessageTrace;
import org.ringchat.api.PeerId;
import org.ringchat.spi.HandOff;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;

/**
 * Spreads messages over a group's topology: the author hands the message to the targets its topology
 * names, each of which acknowledges it, covers its own part of the group the same way, and reports back
 * when that part is done. When a target is down or does not acknowledge in time, the topology's
 * {@link Topology#reroute reroute} names who takes over its part, so a message still reaches every live
 * member. The author thereby learns that the whole group has the message, and whom it missed, and tells
 * the group.
 *
 * <p>Acknowledgements go per link, as TCP's and JGroups' do: each CHAT a node sends a peer has the next
 * number on that link, and the peer acknowledges what it holds as ranges of those numbers (ACKS), reports
 * parts done as ranges too, with a list for the parts that missed members (PARTS_DONE), and confirmations
 * go many messages to a frame (CONFIRMS); each once per turn. One timer per link watches its CHATs: one
 * not acknowledged in time is sent again once before its target counts as missing, and a target whose part
 * outlasts the part timeout is asked again (the same CHAT) before its part is handed on.
 *
 * <p>Plain Java on the protocol thread: the node's engine and the simulator run the same code.
 */
public final class Dissemination {

    /**
     * Messages whose routes this node remembers, to tell a new route from a repeated one, with their
     * confirmations and hops ({@link #trace}).
     */
    private static final int REMEMBERED_MESSAGES = 10_000;

    /** What the host (the engine, the simulator) decides and learns. */
    public interface Host {

        /**
         * A CHAT frame brought a message. Returns whether to take it; the host stores a message durably
         * before it returns {@link Admission#NEW}, since the sender counts on it once acknowledged.
         */
        Admission admit(PeerId from, GroupId group, MessageId id, byte[] payload);

        /** This node's message was taken by a first member. */
        void acknowledged(GroupId group, MessageId id, PeerId by);

        /** The broadcast of this node's message is over; {@code taken} is false when no member took it. */
        void completed(GroupId group, MessageId id, boolean taken, Missing missing);

        /**
         * Another member's message went round the group: its author said so, in a CONFIRMS that may come more
         * than once. The host keeps what it holds of the message, and says whether this is news to it.
         */
        Confirmation confirmed(GroupId group, MessageId id, Missing missing);
    }

    /**
     * What a confirmation was to the host. A host that holds the message knows whether it is news, in its
     * record of the message, so the broadcast need not remember it too: one lookup per confirmation, not two.
     */
    public enum Confirmation {
        /** It holds the message, and this is the first confirmation of it or one that says fewer were missing. */
        NEWS,
        /** It holds the message, and knew as much: this node's own, or a confirmation that came before. */
        KNOWN,
        /** It does not hold the message (not yet, or lost): the broadcast judges by what it remembers. */
        NOT_HELD;

        /**
         * What a confirmation with {@code missing} members missing is to one that knew of a confirmation with
         * {@code fewestKnown} missing, or of none ({@code -1}): news if it is the first or says fewer.
         */
        public static Confirmation of(int fewestKnown, int missing) {
            return fewestKnown < 0 || missing < fewestKnown ? NEWS : KNOWN;
        }
    }

    /** What the host made of a message. */
    public enum Admission {
        /** New here, and stored. */
        NEW,
        /** Held here already. */
        DUPLICATE,
        /** Not acceptable (bad signature, not a member, ...): not acknowledged. */
        REJECTED
    }

    /**
     * @param partTimeoutMillis how long an acknowledged target may take to report its part done before
     *                          the rest of the part is handed on again (it may have crashed meanwhile)
     */
    public record Settings(long partTimeoutMillis) {
    }

    /**
     * Members a message did not reach.
     *
     * @param total  how many
     * @param listed the first of them, at most {@link #MAX_LISTED}
     */
    public record Missing(int total, List<PeerId> listed) {

        public static final int MAX_LISTED = 64;
        public static final Missing NONE = new Missing(0, List.of());

        public Missing {
            listed = List.copyOf(listed);
        }

        /** The same, less the listed members known to hold the message after all. */
        public Missing except(Set<PeerId> holders) {
            List<PeerId> still = listed.stream().filter(p -> !holders.contains(p)).toList();
            return new Missing(total - (listed.size() - still.size()), still);
        }
    }

    private final PeerId self;
    private final Link link;
    private final Scheduler scheduler;
    private final FailureDetector detector;
    private final Supplier<Topology> topology;
    private final Host host;
    private final ToLongFunction<PeerId> ackTimeoutMillis;
    private Settings settings;
    private final Settling ringSettling;
    /**
     * This run's link epoch: the numbers of this node's CHATs count from 1 again in each run of the node, and
     * acknowledgements name the epoch they answer, so that none meant for an earlier run counts in this one.
     */
    private final long epoch = new SplittableRandom().nextLong();

    /** This node's groups: each ring with the group's own ID object, which remembered messages keep. */
    private final Map<GroupId, GroupRing> rings = new HashMap<>();
    /** The links this node hands messages over, by peer; kept, since their numbers must not start again. */
    private final Map<PeerId, OutLink> outLinks = new HashMap<>();
    /** The links messages come in by, by peer: the numbers this node holds, to acknowledge. */
    private final Map<PeerId, InLink> inLinks = Bounded.oldestOut(MAX_IN_LINKS);
    private final TurnReports reports;
    /** The recent messages: one entry each, found once per frame that names it. */
    private final RecentMessages<RememberedMessage> remembered = new RecentMessages<>(REMEMBERED_MESSAGES);
    private final Round.Routes routes = new Round.Routes();
    /** Messages taken while this node had no topology, to be passed on once it has one. */
    private final List<Waiting> waitingForTopology = new ArrayList<>();
    private final Counters counters = new Counters();

    private record Waiting(PeerId from, BroadcastFrames.Chat chat) {
    }

    private record GroupRing(GroupId group, Ring ring) {
    }

    /** How many messages may wait for a topology (a swap takes a moment); the parts of more are left to repair. */
    private static final int MAX_WAITING_FOR_TOPOLOGY = 10_000;
    /**
     * While a group forms, every join moves most members' skip links; watching each new link at once
     * probed and so connected it, about 5,600 TLS handshakes to form a group of 100 (docs/BENCHMARKS.md,
     * "Scale"). The links move once the membership has been quiet this long, longer than an owner takes to
     * invite the next member on a busy machine (at 1 s the links moved between most joins of a group of 100
     * forming at 0.7 s a join), or at the latest after {@link #RING_LONGEST_WAIT_MILLIS}, longer than a group
     * of 100 takes to form (at 5 s its links still moved every 5 s); meanwhile the former links, still
     * members, stay watched.
     */
    private static final long RING_QUIET_MILLIS = 3_000;
    private static final long RING_LONGEST_WAIT_MILLIS = 30_000;
    /** Peers whose incoming links are remembered: the members of this node's groups, and then some. */
    private static final int MAX_IN_LINKS = 4096;
    /** CHATs given up per link whose late acknowledgement still counts their target ({@link #acknowledgedLate}). */
    private static final int MAX_GIVEN_UP_PER_LINK = 256;
    /** Sends of a CHAT without an acknowledgement before its target counts as missing: the first and one more. */
    private static final int ACK_TRIES = 2;
    /**
     * Part timeouts after which a target that still acknowledges is left its part before the part is handed on
     * all the same: a part slower than the part timeout costs a CHAT to the same member, not a second covering
     * of the rest of it, which under loss cascaded along the ring.
     */
    private static final int PART_CHECKS = 3;

    /** The one part of a message routed by a topology this node does not run: spread by its own to the whole group. */
    private static final Round.Route FOREIGN = new Round.Route("foreign", null);

    /** One hand-off under way, CHAT number {@code seq} on its target's link: waiting for the target's acknowledgement, then for its part done. */
    private static final class Hop {
        final Round round;
        final HandOff handOff;
        final long seq;
        long deadline;
        /** Sends since the last acknowledgement. */
        int tries;
        /** Part timeouts passed, each answered by asking the target again. */
        int partChecks;
        boolean acknowledged;
        /** Whether the target ever acknowledged: then it holds the message, whatever comes after. */
        boolean held;

        Hop(Round round, HandOff handOff, long seq) {
            this.round = round;
            this.handOff = handOff;
            this.seq = seq;
        }
    }

    /** The link to one peer this node hands messages to: its CHATs under way by number, and one timer for them. */
    private final class OutLink {
        final PeerId peer;
        long lastSeq;
        final NavigableMap<Long, Hop> hops = new TreeMap<>();
        /** The CHATs whose targets were counted missing, by number: an acknowledgement may still come late. */
        final Map<Long, MessageId> givenUp = Bounded.oldestOut(MAX_GIVEN_UP_PER_LINK);
        Scheduler.Timer timer;
        long timerAt = Long.MAX_VALUE;

        OutLink(PeerId peer) {
            this.peer = peer;
        }

        /** Makes the link's timer go off by {@code deadline}. */
        void due(long deadline) {
            if (deadline >= timerAt) {
                return;
            }
            if (timer != null) {
                timer.cancel();
            }
            timerAt = deadline;
            timer = scheduler.schedule(Math.max(0, deadline - scheduler.nowMillis()), this::expire);
        }

        /** The hops under way that a range names: no more than there are, however wide the range. */
        List<Hop> within(SeqRanges.Range range) {
            // One pass: a sub-map view counts its entries by walking them, so copying it would walk them twice.
            List<Hop> within = new ArrayList<>();
            for (Hop hop : hops.subMap(range.first(), true, range.last(), true).values()) {
                within.add(hop);
            }
            return within;
        }

        private void expire() {
            timer = null;
            timerAt = Long.MAX_VALUE;
            long now = scheduler.nowMillis();
            List<Hop> overdue = hops.values().stream().filter(hop -> hop.deadline <= now).toList();
            overdue.forEach(hop -> overdue(this, hop));
            hops.values().stream().mapToLong(hop -> hop.deadline).min().ifPresent(this::due);
        }
    }

    /** The link from one peer: the numbers of its epoch this node holds the messages of. */
    private static final class InLink {
        final long epoch;
        final SeqRanges held = new SeqRanges();

        InLink(long epoch) {
            this.epoch = epoch;
        }
    }

    /** What this node sent and received, for the simulator's report and the node's status. */
    public static final class Counters {
        public long payloadsSent;
        public long duplicatesReceived;
        public long controlFramesSent;
        public long controlBytesSent;
    }

    /**
     * @param ackTimeoutMillis how long a target may take to acknowledge before its part goes to the next
     *                         (it follows the round trip to the target: {@link AckTimeouts})
     */
    public Dissemination(PeerId self, Link link, Scheduler scheduler, FailureDetector detector,
                         Supplier<Topology> topology, Host host, ToLongFunction<PeerId> ackTimeoutMillis,
                         Settings settings) {
        this.self = self;
        this.link = link;
        this.scheduler = scheduler;
        this.detector = detector;
        this.topology = topology;
        this.host = host;
        this.ackTimeoutMillis = ackTimeoutMillis;
        this.settings = settings;
        this.ringSettling = new Settling(scheduler, RING_QUIET_MILLIS, RING_LONGEST_WAIT_MILLIS, this::updateWatched);
        this.reports = new TurnReports(scheduler, this::heldFrom, this::sendControl,
                (ring, current, handOff, group, messages) -> spreadConfirms(ring, current, group, messages,
                        current.reroute(ring, self, handOff)));
        detector.addListener(new FailureDetector.Listener() {
            @Override
            public void down(PeerId peer) {
                updateWatched();
            }

            @Override
            public void up(PeerId peer) {
                updateWatched();
            }
        });
    }

    /** Takes new timeouts; hand-offs under way keep theirs, the next ones take them. */
    public void setSettings(Settings settings) {
        this.settings = settings;
    }

    public Counters counters() {
        return counters;
    }

    /**
     * The group's members as they are now; null when this node is no longer in the group. The links of a
     * node's first ring are watched at once; a change of the ring moves them only once the membership has
     * settled ({@link #RING_QUIET_MILLIS}).
     */
    public void setRing(GroupId group, Ring ring) {
        if (ring == null || !ring.contains(self)) {
            rings.remove(group);
        } else {
            rings.put(group, new GroupRing(group, ring));
        }
        if (detector.watched().isEmpty()) {
            updateWatched();
        } else {
            ringSettling.changed();
        }
    }

    public Ring ring(GroupId group) {
        GroupRing joined = rings.get(group);
        return joined == null ? null : joined.ring();
    }

    /** The topology changed: the links to keep may have changed too. */
    public void topologyChanged() {
        updateWatched();
        if (topology.get() != null && !waitingForTopology.isEmpty()) {
            List<Waiting> waiting = List.copyOf(waitingForTopology);
            waitingForTopology.clear();
            waiting.forEach(w -> cover(w.from(), w.chat(), remember(w.chat().header().group(), w.chat().header().id())));
        }
    }

    /**
     * The members this node watches: its topology's links in every group, where a link is down, the
     * members that take over its part instead (the repaired link), and those of them found down on the way.
     */
    private void updateWatched() {
        Topology current = topology.get();
        if (current == null) {
            return;
        }
        Set<PeerId> watched = new HashSet<>();
        for (GroupRing joined : rings.values()) {
            Ring ring = joined.ring();
            for (PeerId link : current.links(ring, self)) {
                watched.add(link);
                if (detector.isDown(link)) {
                    watched.addAll(replacements(ring, current, new HandOff(link, self)));
                }
            }
        }
        watched.remove(self);
        detector.watch(watched);
    }

    /**
     * Who takes over a failed link's part, as far as the first members not known to be down. Those known to
     * be down on the way are kept too: a member no longer watched is no longer known to be down, so
     * dropping them made the next update take them for live again, and the repair swung between dead
     * members without ever reaching the live one behind them. Watched, they stay known as down, and are
     * still probed, so that their return is noticed.
     */
    private List<PeerId> replacements(Ring ring, Topology current, HandOff failed) {
        List<PeerId> found = new ArrayList<>();
        Deque<HandOff> todo = new ArrayDeque<>(current.reroute(ring, self, failed));
        int budget = ring.size();
        while (!todo.isEmpty() && budget-- > 0) {
            HandOff next = todo.poll();
            if (next.target().equals(self)) {
                continue;
            }
            found.add(next.target());
            if (detector.isDown(next.target())) {
                todo.addAll(current.reroute(ring, self, next));
            }
        }
        return found;
    }

    // ---------------------------------------------------------------- sending

    /**
     * Starts the broadcast of this node's own message. {@link Host#completed} follows in any case; at
     * once, with {@code taken} false, when there is no topology or nobody else in the group.
     */
    public void originate(GroupId group, MessageId id, byte[] payload) {
        Ring ring = ring(group);
        Topology current = topology.get();
        if (ring == null || current == null) {
            host.completed(group, id, false, Missing.NONE);
            return;
        }
        RememberedMessage message = remember(group, id);
        Round round = new Round(id, message, routes.of(current, self), ring, current, payload, null);
        message.add(round);
        start(round, current.forward(ring, self, self));
    }

    /** Tells the group that this node's message went round, and whom it missed. Best effort, no acknowledgements. */
    public void confirm(GroupId group, MessageId id, Missing missing) {
        Ring ring = ring(group);
        Topology current = topology.get();
        if (ring == null || current == null) {
            return;
        }
        remember(group, id).confirmed(missing.total());
        spreadConfirms(ring, current, group, List.of(new BroadcastFrames.Confirmed(id, missing)),
                current.forward(ring, self, self));
    }

    private void start(Round round, List<HandOff> handOffs) {
        round.open = handOffs.size() + 1;
        handOffs.forEach(h -> launch(round, h));
        resolve(round);
    }

    /** Gives the message to a hand-off's target, or to whoever takes over when the target is known to be down. */
    private void launch(Round round, HandOff first) {
        Deque<HandOff> todo = new ArrayDeque<>();
        todo.add(first);
        while (!todo.isEmpty()) {
            HandOff handOff = todo.poll();
            PeerId target = handOff.target();
            if (target.equals(self) || !round.ring.contains(target) || round.launched++ > 2 * round.ring.size()) {
                resolve(round);
                continue;
            }
            boolean handedItHere = round.parent != null && target.equals(round.parent.peer());
            if (handedItHere || detector.isDown(target)) {
                // The member that handed the message here holds it: a topology it does not share names it
                // (a swap), and handing it back would make each wait for the other until part timeouts.
                if (handedItHere) {
                    taken(round, target);
                } else {
                    round.miss(target);
                }
                List<HandOff> replacements = round.topology.reroute(round.ring, self, handOff);
                round.open += replacements.size();
                todo.addAll(replacements);
                resolve(round);
                continue;
            }
            OutLink out = outLinks.computeIfAbsent(target, OutLink::new);
            Hop hop = new Hop(round, handOff, ++out.lastSeq);
            out.hops.put(hop.seq, hop);
            round.message.handedTo(target);
            send(out, hop);
        }
    }

    private void send(OutLink out, Hop hop) {
        hop.tries++;
        hop.deadline = scheduler.nowMillis() + ackTimeoutMillis.applyAsLong(out.peer);
        out.due(hop.deadline);
        counters.payloadsSent++;
        link.send(out.peer, FrameType.CHAT, hop.round.frameHead(epoch, hop.handOff.route(), hop.seq), hop.round.frameTail,
                () -> failed(out, hop));
    }

    /**
     * A hop's time is up: its target did not acknowledge, so it gets the CHAT once more, then counts as
     * missing; or it acknowledged but did not report its part done, so it is asked again (the same CHAT, which
     * it answers with an acknowledgement while its part is under way, with its report once done), and after
     * {@value #PART_CHECKS} such checks, or without an answer, the rest of its part is handed on.
     */
    private void overdue(OutLink out, Hop hop) {
        if (hop.acknowledged && hop.partChecks < PART_CHECKS) {
            hop.partChecks++;
            hop.acknowledged = false;
            hop.tries = 0;
            send(out, hop);
        } else if (!hop.acknowledged && hop.tries < ACK_TRIES) {
            if (!hop.held) {
                detector.suspect(out.peer);
            }
            send(out, hop);
        } else {
            failed(out, hop);
        }
    }

    /** A hand-off failed: its target cannot be reached, did not acknowledge, or did not report its part done. */
    private void failed(OutLink out, Hop hop) {
        if (out.hops.get(hop.seq) != hop) {
            return;
        }
        out.hops.remove(hop.seq);
        Round round = hop.round;
        if (!hop.held) {
            round.miss(out.peer);
            out.givenUp.put(hop.seq, round.id);
            detector.suspect(out.peer);
        }
        List<HandOff> replacements = round.topology.reroute(round.ring, self, hop.handOff);
        round.open += replacements.size();
        replacements.forEach(h -> launch(round, h));
        resolve(round);
    }

    private void resolve(Round round) {
        if (--round.open > 0) {
            return;
        }
        round.result = round.missing();
        round.frameTail = null;
        if (round.parent == null) {
            host.completed(round.message.group, round.id, round.taken, round.result);
        } else {
            reportDone(round.parent, round.result);
        }
        round.takeAlsoWaiting().forEach(waiter -> reportDone(waiter, round.result));
    }

    private RememberedMessage remember(GroupId group, MessageId id) {
        return remembered.getOrAdd(id, () -> new RememberedMessage(group));
    }

    /** The hops of a recent message as this node saw them, if it still remembers them. */
    public Optional<MessageTrace> trace(MessageId id) {
        RememberedMessage message = remembered.get(id);
        return message == null ? Optional.empty() : Optional.of(message.trace(id));
    }

    private void sendControl(PeerId to, int type, byte[] body, Runnable failed) {
        counters.controlFramesSent++;
        counters.controlBytesSent += body.length;
        link.send(to, type, body, failed);
    }

    private void reportDone(Round.Waiter waiter, Missing result) {
        reports.partDone(waiter.peer(), waiter.epoch(), waiter.seq(), result);
    }

    /** What this node holds of a peer's link, to acknowledge; null when it holds nothing of it. */
    private BroadcastFrames.Acks heldFrom(PeerId peer) {
        InLink in = inLinks.get(peer);
        return in == null ? null : new BroadcastFrames.Acks(in.epoch, in.held.ranges());
    }

    // ---------------------------------------------------------------- receiving

    /** CHAT, ACKS, PARTS_DONE and CONFIRMS frames. */
    public void onFrame(PeerId from, int type, byte[] body) {
        switch (type) {
            case FrameType.CHAT -> onChat(from, BroadcastFrames.Chat.decode(body));
            case FrameType.ACKS -> onAcks(from, BroadcastFrames.Acks.decode(body));
            case FrameType.PARTS_DONE -> onPartsDone(from, BroadcastFrames.PartsDone.decode(body));
            case FrameType.CONFIRMS -> onConfirms(from, BroadcastFrames.Confirms.decode(body));
            default -> throw new IllegalArgumentException("not a broadcast frame: " + FrameType.name(type));
        }
    }

    /**
     * A message handed to this node: acknowledged (by its number on the sender's link, at the end of the turn)
     * once the host holds it, then this node covers its part. A part handed on again for a route this node
     * covers already (the sender's part timed out) is reported done when it really is, with whom it missed; a
     * new route is covered even for a message held already, so that a part handed on again after a failure is
     * not left out. A message routed by a topology this node does not run is spread by its own topology to the
     * whole group, once. Without a topology (while one is swapped for another) the message is taken all the
     * same and passed on once a topology is there.
     */
    void onChat(PeerId from, BroadcastFrames.Chat chat) {
        BroadcastFrames.Header header = chat.header();
        Admission admission = host.admit(from, header.group(), header.id(), chat.payload());
        GroupRing joined = rings.get(header.group());
        if (admission == Admission.REJECTED || joined == null) {
            return;
        }
        if (admission == Admission.DUPLICATE) {
            counters.duplicatesReceived++;
        }
        RememberedMessage message = remember(joined.group(), header.id());
        message.receivedFrom(from);
        InLink in = inLinks.get(from);
        if (in == null || in.epoch != chat.epoch()) {
            in = new InLink(chat.epoch());
            inLinks.put(from, in);
        }
        in.held.add(chat.seq());
        reports.ack(from);
        if (topology.get() != null) {
            cover(from, chat, message);
        } else if (waitingForTopology.size() < MAX_WAITING_FOR_TOPOLOGY) {
            waitingForTopology.add(new Waiting(from, chat));
        }
    }

    /** Covers this node's part of a message handed to it, or joins the part under way for the same route. */
    private void cover(PeerId from, BroadcastFrames.Chat chat, RememberedMessage message) {
        BroadcastFrames.Header header = chat.header();
        Topology current = topology.get();
        Ring ring = ring(header.group());
        if (current == null || ring == null) {
            return;
        }
        Round.Waiter waiter = new Round.Waiter(from, chat.epoch(), chat.seq());
        boolean sameTopology = header.topology().equals(current.name());
        PeerId route = sameTopology ? member(ring, header.route()) : self;
        Round.Route key = sameTopology ? routes.of(current, route) : FOREIGN;
        Round earlier = message.part(key);
        if (earlier != null) {
            if (earlier.result != null) {
                reportDone(waiter, earlier.result);
            } else {
                earlier.waitedForBy(waiter);
            }
            return;
        }
        Round round = new Round(header.id(), message, key, ring, current, chat.payload(), waiter);
        message.add(round);
        start(round, current.forward(ring, self, route));
    }

    /** The member's own ID object in the ring, kept with the part instead of the one read from the frame. */
    private static PeerId member(Ring ring, PeerId peer) {
        int position = ring.positionOf(peer);
        return position < 0 ? peer : ring.at(position);
    }

    /** The peer holds the messages of these CHATs; numbers of no hop under way here (or of another epoch) are passed over. */
    private void onAcks(PeerId from, BroadcastFrames.Acks acks) {
        OutLink out = answered(from, acks.epoch());
        if (out == null) {
            return;
        }
        for (SeqRanges.Range range : acks.ranges()) {
            for (Hop hop : out.within(range)) {
                if (!hop.acknowledged && out.hops.get(hop.seq) == hop) {
                    hop.acknowledged = true;
                    hop.held = true;
                    hop.tries = 0;
                    hop.deadline = scheduler.nowMillis() + settings.partTimeoutMillis();
                    out.due(hop.deadline);
                    taken(hop.round, from);
                }
            }
            if (!out.givenUp.isEmpty()) {
                List<Long> late = out.givenUp.keySet().stream().filter(range::contains).toList();
                late.forEach(seq -> acknowledgedLate(out.givenUp.remove(seq), from));
            }
        }
    }

    /** The link an answer is about; null for a peer this node handed nothing, or an answer to an earlier run. */
    private OutLink answered(PeerId from, long answeredEpoch) {
        return answeredEpoch == epoch ? outLinks.get(from) : null;
    }

    /**
     * An acknowledgement after its hand-off was given up: the target holds the message after all. A part
     * still under way no longer counts it missing; once the part is reported, the CONFIRM that names the
     * target missing reaches it ({@link #spreadConfirm}), and its HOLDS corrects the author's count.
     */
    private void acknowledgedLate(MessageId id, PeerId by) {
        RememberedMessage message = remembered.get(id);
        if (message == null) {
            return;
        }
        for (Round round : message.parts()) {
            if (round.result == null && round.unmiss(by)) {
                taken(round, by);
            }
        }
    }

    private void taken(Round round, PeerId by) {
        round.message.acknowledgedBy(by);
        boolean first = !round.taken;
        round.taken = true;
        if (round.parent == null && first) {
            host.acknowledged(round.message.group, round.id, by);
        }
    }

    private void onPartsDone(PeerId from, BroadcastFrames.PartsDone done) {
        OutLink out = answered(from, done.epoch());
        if (out == null) {
            return;
        }
        for (SeqRanges.Range range : done.complete()) {
            for (Hop hop : out.within(range)) {
                partDone(out, hop, Missing.NONE);
            }
        }
        for (BroadcastFrames.PartMissed part : done.missed()) {
            Hop hop = out.hops.get(part.seq());
            if (hop != null) {
                partDone(out, hop, part.missing());
            }
        }
    }

    private void partDone(OutLink out, Hop hop, Missing missing) {
        if (out.hops.get(hop.seq) != hop) {
            return;
        }
        out.hops.remove(hop.seq);
        if (!hop.held) {
            taken(hop.round, out.peer);
        }
        hop.round.miss(missing);
        resolve(hop.round);
    }

    private void onConfirms(PeerId from, BroadcastFrames.Confirms confirms) {
        Topology current = topology.get();
        Ring ring = ring(confirms.group());
        if (current == null || ring == null || !ring.contains(from)) {
            return;
        }
        List<BroadcastFrames.Confirmed> news = new ArrayList<>();
        for (BroadcastFrames.Confirmed message : confirms.messages()) {
            if (isNews(confirms.group(), message)) {
                news.add(message);
            }
        }
        if (news.isEmpty()) {
            return;
        }
        PeerId route = confirms.topology().equals(current.name()) ? confirms.route() : self;
        spreadConfirms(ring, current, confirms.group(), news, current.forward(ring, self, route));
    }

    private boolean isNews(GroupId group, BroadcastFrames.Confirmed message) {
        return switch (host.confirmed(group, message.id(), message.missing())) {
            case NEWS -> true;
            case KNOWN -> false;
            case NOT_HELD -> remember(group, message.id()).confirmed(message.missing().total());
        };
    }

    /** Passes confirmations on to the hand-offs' targets, or to whoever takes over from one known to be down. */
    private void spreadConfirms(Ring ring, Topology current, GroupId group, List<BroadcastFrames.Confirmed> messages,
                                List<HandOff> handOffs) {
        Deque<HandOff> todo = new ArrayDeque<>(handOffs);
        int budget = 2 * ring.size();
        while (!todo.isEmpty() && budget-- > 0) {
            HandOff handOff = todo.poll();
            if (handOff.target().equals(self) || !ring.contains(handOff.target())) {
                continue;
            }
            if (detector.isDown(handOff.target())) {
                todo.addAll(current.reroute(ring, self, handOff));
                // A member named missing may only have been slow (its acknowledgement came late): it must
                // hear that it is named, so that it says it holds the message (HOLDS).
                if (messages.stream().noneMatch(m -> m.missing().listed().contains(handOff.target()))) {
                    continue;
                }
            }
            reports.confirm(ring, current, group, handOff, messages);
        }
    }
}
