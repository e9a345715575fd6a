package org.ringchat.group.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * when that part is done (PART_DONE). When a target is down or does not acknowledge in time, the
 * topology's {@link Topology#reroute reroute} names who takes over its part, so a message still reaches
 * every live member. The author thereby learns that the whole group has the message, and whom it missed,
 * and tells the group (CONFIRM).
 *
 * <p>Plain Java on the protocol thread: the node's engine and the simulator run the same code.
 */
public final class Dissemination {

    /** Messages whose routes this node remembers, to tell a new route from a repeated one. */
    private static final int REMEMBERED_MESSAGES = 10_000;
    /** Messages whose hops this node remembers for {@link #trace}; each hop list is capped too. */
    private static final int TRACED_MESSAGES = 1_024;
    private static final int TRACED_HOPS = 64;

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

        /** Another member's message went round the group: its author said so. */
        void confirmed(GroupId group, MessageId id, Missing missing);
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

    private final Map<GroupId, Ring> rings = new HashMap<>();
    private final Map<HopKey, Hop> pending = new HashMap<>();
    /** Per message, the parts this node covers or covered, by route as "topology/route". */
    private final Map<MessageId, Map<String, Round>> covered = Bounded.oldestOut(REMEMBERED_MESSAGES);
    /** Per message, the fewest members a CONFIRM of it said were missing: a later one that says fewer corrects it. */
    private final Map<MessageId, Integer> confirmsSeen = Bounded.oldestOut(REMEMBERED_MESSAGES);
    private final Map<MessageId, Trace> traces = Bounded.oldestOut(TRACED_MESSAGES);
    /** Messages taken while this node had no topology, to be passed on once it has one. */
    private final List<Waiting> waitingForTopology = new ArrayList<>();
    private final Counters counters = new Counters();

    private record HopKey(MessageId message, PeerId target) {
    }

    private record Waiting(PeerId from, BroadcastFrames.Chat chat) {
    }

    /** How many messages may wait for a topology (a swap takes a moment); the parts of more are left to repair. */
    private static final int MAX_WAITING_FOR_TOPOLOGY = 10_000;

    /** The hops of one message seen here, for {@link #trace}. */
    private static final class Trace {
        final GroupId group;
        final List<PeerId> receivedFrom = new ArrayList<>();
        final List<PeerId> handedTo = new ArrayList<>();
        final Set<PeerId> acknowledgedBy = new HashSet<>();

        Trace(GroupId group) {
            this.group = group;
        }

        static void add(List<PeerId> hops, PeerId peer) {
            if (hops.size() < TRACED_HOPS) {
                hops.add(peer);
            }
        }
    }

    /** This node's part of one broadcast: the hand-offs it made and what they reported. */
    private final class Round {
        final GroupId group;
        final MessageId id;
        final Ring ring;
        final Topology topology;
        /** The message; dropped once the part is done, when only its result is kept. */
        byte[] frameTail;
        /** The member this part came from; null at the author. */
        final PeerId parent;
        /**
         * Others that handed this node the same part meanwhile (the parent's part timed out and went on
         * again): they hear that it is done when it really is, never before.
         */
        final List<PeerId> alsoWaiting = new ArrayList<>(0);
        /** Whom the part missed, once it is done; null while it is under way. */
        Missing result;
        int open;
        int launched;
        boolean taken;
        int missingTotal;
        final List<PeerId> missingListed = new ArrayList<>();

        Round(GroupId group, MessageId id, Ring ring, Topology topology, byte[] payload, PeerId parent) {
            this.group = group;
            this.id = id;
            this.ring = ring;
            this.topology = topology;
            this.frameTail = payload;
            this.parent = parent;
        }

        void miss(PeerId peer) {
            missingTotal++;
            if (missingListed.size() < Missing.MAX_LISTED) {
                missingListed.add(peer);
            }
        }

        void miss(Missing missing) {
            missingTotal += missing.total();
            for (PeerId peer : missing.listed()) {
                if (missingListed.size() < Missing.MAX_LISTED) {
                    missingListed.add(peer);
                }
            }
        }

        Missing missing() {
            return new Missing(missingTotal, missingListed);
        }

        /** {@code peer} holds the message after all; whether this part had counted it missing. */
        boolean unmiss(PeerId peer) {
            if (!missingListed.remove(peer)) {
                return false;
            }
            missingTotal--;
            return true;
        }

        byte[] frame(PeerId route) {
            return new BroadcastFrames.Chat(new BroadcastFrames.Header(group, id, topology.name(), route), frameTail)
                    .encode();
        }

        void waitedForBy(PeerId peer) {
            if (!peer.equals(parent) && !alsoWaiting.contains(peer)) {
                alsoWaiting.add(peer);
            }
        }
    }

    /** One hand-off under way: waiting for the target's acknowledgement, then for its PART_DONE. */
    private static final class Hop {
        final Round round;
        final HandOff handOff;
        Scheduler.Timer timer;
        boolean acknowledged;

        Hop(Round round, HandOff handOff) {
            this.round = round;
            this.handOff = handOff;
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

    /** The group's members as they are now; null when this node is no longer in the group. */
    public void setRing(GroupId group, Ring ring) {
        if (ring == null || !ring.contains(self)) {
            rings.remove(group);
        } else {
            rings.put(group, ring);
        }
        updateWatched();
    }

    public Ring ring(GroupId group) {
        return rings.get(group);
    }

    /** The topology changed: the links to keep may have changed too. */
    public void topologyChanged() {
        updateWatched();
        if (topology.get() != null && !waitingForTopology.isEmpty()) {
            List<Waiting> waiting = List.copyOf(waitingForTopology);
            waitingForTopology.clear();
            waiting.forEach(w -> cover(w.from(), w.chat()));
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
        for (Ring ring : rings.values()) {
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
        Ring ring = rings.get(group);
        Topology current = topology.get();
        if (ring == null || current == null) {
            host.completed(group, id, false, Missing.NONE);
            return;
        }
        Round round = new Round(group, id, ring, current, payload, null);
        parts(id).put(routeKey(current.name(), self), round);
        start(round, current.forward(ring, self, self));
    }

    /** Tells the group that this node's message went round, and whom it missed. Best effort, no acknowledgements. */
    public void confirm(GroupId group, MessageId id, Missing missing) {
        Ring ring = rings.get(group);
        Topology current = topology.get();
        if (ring == null || current == null) {
            return;
        }
        confirmsSeen.merge(id, missing.total(), Math::min);
        spreadConfirm(ring, current, group, id, missing, current.forward(ring, self, self));
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
            if (detector.isDown(target)) {
                round.miss(target);
                List<HandOff> replacements = round.topology.reroute(round.ring, self, handOff);
                round.open += replacements.size();
                todo.addAll(replacements);
                resolve(round);
                continue;
            }
            Hop hop = new Hop(round, handOff);
            HopKey key = new HopKey(round.id, target);
            Hop replaced = pending.put(key, hop);
            if (replaced != null) {
                replaced.timer.cancel();
                resolve(replaced.round);
            }
            hop.timer = scheduler.schedule(ackTimeoutMillis.applyAsLong(target), () -> failed(key, hop));
            counters.payloadsSent++;
            Trace.add(trace(round.group, round.id).handedTo, target);
            link.send(target, FrameType.CHAT, round.frame(handOff.route()), () -> failed(key, hop));
        }
    }

    /** A hand-off failed: its target did not acknowledge, or did not report its part done, in time. */
    private void failed(HopKey key, Hop hop) {
        if (pending.get(key) != hop) {
            return;
        }
        pending.remove(key);
        hop.timer.cancel();
        Round round = hop.round;
        if (!hop.acknowledged) {
            round.miss(hop.handOff.target());
            detector.suspect(hop.handOff.target());
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
            host.completed(round.group, round.id, round.taken, round.result);
        } else {
            reportDone(round, round.parent);
        }
        round.alsoWaiting.forEach(peer -> reportDone(round, peer));
        round.alsoWaiting.clear();
    }

    private void reportDone(Round round, PeerId to) {
        sendControl(to, FrameType.PART_DONE, new BroadcastFrames.PartDone(round.group, round.id, round.result).encode());
    }

    private Trace trace(GroupId group, MessageId id) {
        return traces.computeIfAbsent(id, k -> new Trace(group));
    }

    /** The hops of a recent message as this node saw them, if it still remembers them. */
    public Optional<MessageTrace> trace(MessageId id) {
        Trace trace = traces.get(id);
        return trace == null ? Optional.empty()
                : Optional.of(new MessageTrace(trace.group, id, trace.receivedFrom, trace.handedTo, trace.acknowledgedBy));
    }

    private void sendControl(PeerId to, int type, byte[] body) {
        counters.controlFramesSent++;
        counters.controlBytesSent += body.length;
        link.send(to, type, body, () -> { });
    }

    // ---------------------------------------------------------------- receiving

    /** CHAT, CHAT_ACK, PART_DONE and CONFIRM frames. */
    public void onFrame(PeerId from, int type, byte[] body) {
        switch (type) {
            case FrameType.CHAT -> onChat(from, BroadcastFrames.Chat.decode(body));
            case FrameType.CHAT_ACK -> onAck(from, MessageRef.decode(body));
            case FrameType.PART_DONE -> onPartDone(from, BroadcastFrames.PartDone.decode(body));
            case FrameType.CONFIRM -> onConfirm(from, BroadcastFrames.Confirm.decode(body));
            default -> throw new IllegalArgumentException("not a broadcast frame: " + FrameType.name(type));
        }
    }

    /**
     * A message handed to this node: acknowledged once the host holds it, then this node covers its part.
     * A part handed on again for a route this node covers already (the sender's part timed out) is
     * reported done when it really is, with whom it missed; a new route is covered even for a message held
     * already, so that a part handed on again after a failure is not left out. A message routed by a
     * topology this node does not run is spread by its own topology to the whole group, once. Without a
     * topology (while one is swapped for another) the message is taken all the same and passed on once a
     * topology is there.
     */
    private void onChat(PeerId from, BroadcastFrames.Chat chat) {
        BroadcastFrames.Header header = chat.header();
        Admission admission = host.admit(from, header.group(), header.id(), chat.payload());
        if (admission == Admission.REJECTED || rings.get(header.group()) == null) {
            return;
        }
        if (admission == Admission.DUPLICATE) {
            counters.duplicatesReceived++;
        }
        Trace.add(trace(header.group(), header.id()).receivedFrom, from);
        sendControl(from, FrameType.CHAT_ACK, new MessageRef(header.group(), header.id()).encode());
        if (topology.get() != null) {
            cover(from, chat);
        } else if (waitingForTopology.size() < MAX_WAITING_FOR_TOPOLOGY) {
            waitingForTopology.add(new Waiting(from, chat));
        }
    }

    /** Covers this node's part of a message handed to it, or joins the part under way for the same route. */
    private void cover(PeerId from, BroadcastFrames.Chat chat) {
        BroadcastFrames.Header header = chat.header();
        Topology current = topology.get();
        Ring ring = rings.get(header.group());
        if (current == null || ring == null) {
            return;
        }
        boolean sameTopology = header.topology().equals(current.name());
        PeerId route = sameTopology ? header.route() : self;
        String key = sameTopology ? routeKey(current.name(), route) : "foreign";
        Round earlier = parts(header.id()).get(key);
        if (earlier != null) {
            if (earlier.result != null) {
                reportDone(earlier, from);
            } else {
                earlier.waitedForBy(from);
            }
            return;
        }
        Round round = new Round(header.group(), header.id(), ring, current, chat.payload(), from);
        parts(header.id()).put(key, round);
        start(round, current.forward(ring, self, route));
    }

    private void onAck(PeerId from, MessageRef ref) {
        HopKey key = new HopKey(ref.id(), from);
        Hop hop = pending.get(key);
        if (hop == null) {
            acknowledgedLate(ref.id(), from);
            return;
        }
        if (hop.acknowledged) {
            return;
        }
        hop.acknowledged = true;
        hop.timer.cancel();
        hop.timer = scheduler.schedule(settings.partTimeoutMillis(), () -> failed(key, hop));
        taken(hop.round, from);
    }

    /**
     * An acknowledgement after its hand-off was given up: the target holds the message after all. A part
     * still under way no longer counts it missing; once the part is reported, the CONFIRM that names the
     * target missing reaches it ({@link #spreadConfirm}), and its HOLDS corrects the author's count.
     */
    private void acknowledgedLate(MessageId id, PeerId by) {
        Map<String, Round> rounds = covered.get(id);
        if (rounds == null) {
            return;
        }
        for (Round round : rounds.values()) {
            if (round.result == null && round.unmiss(by)) {
                taken(round, by);
            }
        }
    }

    private void taken(Round round, PeerId by) {
        trace(round.group, round.id).acknowledgedBy.add(by);
        boolean first = !round.taken;
        round.taken = true;
        if (round.parent == null && first) {
            host.acknowledged(round.group, round.id, by);
        }
    }

    private void onPartDone(PeerId from, BroadcastFrames.PartDone done) {
        HopKey key = new HopKey(done.id(), from);
        Hop hop = pending.remove(key);
        if (hop == null) {
            return;
        }
        hop.timer.cancel();
        if (!hop.acknowledged) {
            taken(hop.round, from);
        }
        hop.round.miss(done.missing());
        resolve(hop.round);
    }

    private void onConfirm(PeerId from, BroadcastFrames.Confirm confirm) {
        BroadcastFrames.Header header = confirm.header();
        Topology current = topology.get();
        Ring ring = rings.get(header.group());
        Integer seen = confirmsSeen.get(header.id());
        if (current == null || ring == null || !ring.contains(from)
                || (seen != null && seen <= confirm.missing().total())) {
            return;
        }
        confirmsSeen.put(header.id(), confirm.missing().total());
        host.confirmed(header.group(), header.id(), confirm.missing());
        PeerId route = header.topology().equals(current.name()) ? header.route() : self;
        spreadConfirm(ring, current, header.group(), header.id(), confirm.missing(), current.forward(ring, self, route));
    }

    private void spreadConfirm(Ring ring, Topology current, GroupId group, MessageId id, Missing missing,
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
                if (!missing.listed().contains(handOff.target())) {
                    continue;
                }
            }
            byte[] body = new BroadcastFrames.Confirm(new BroadcastFrames.Header(group, id, current.name(),
                    handOff.route()), missing).encode();
            counters.controlFramesSent++;
            counters.controlBytesSent += body.length;
            link.send(handOff.target(), FrameType.CONFIRM, body,
                    () -> spreadConfirm(ring, current, group, id, missing, current.reroute(ring, self, handOff)));
        }
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, Round> parts(MessageId id) {
        return covered.computeIfAbsent(id, k -> new HashMap<>(2));
    }

    private static String routeKey(String topology, PeerId route) {
        return topology + "/" + route;
    }
}
