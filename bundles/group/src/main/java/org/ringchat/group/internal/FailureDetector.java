package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

import org.ringchat.api.PeerId;

/**
 * SWIM-style failure detection of the members this node is linked to. Every probe interval, each
 * watched member this node has not heard from within that interval gets a PROBE (a member that answers
 * every probe in time is given a longer interval, up to a limit); without a PROBE_ACK
 * within the probe timeout, a few other watched members are asked to probe it (PROBE_REQUEST), and only
 * when none of them gets an answer either is it taken for down. Any frame from a member counts as a sign
 * of life, so a busy link costs no probes. Being down is a local judgement used to route around the
 * member: it never changes the group's membership, which stays with the owners.
 *
 * <p>The probe timeout adapts to each link: its round trip is estimated from the answers to direct
 * probes ({@link RoundTripEstimate}, as RFC 6298), and the timeout is the estimate's within the configured
 * bounds. Every timeout and the probe interval are stretched by this node's {@link LocalHealth} (Lifeguard),
 * which grows when this node's own probes miss members that prove alive.
 *
 * <p>Not thread-safe: runs on the protocol thread, like everything the {@link Scheduler} runs.
 */
public final class FailureDetector {

    /**
     * @param probeIntervalMillis    how often each watched member is checked
     * @param probeTimeoutMinMillis  the least a probe may take: the timeout on a link faster than that
     * @param probeTimeoutMaxMillis  the most a probe may take, however slow the link looks
     * @param indirectProbes         how many other members are asked to probe one that did not answer
     * @param maxHealthScore         how far local health may stretch the timeouts (times score + 1); 0 for never
     * @param probeIntervalMaxMillis how far a link's probe interval stretches while it answers every probe in
     *                               time (doubling with each answer, from {@code probeIntervalMillis}); no
     *                               shorter than that, so that less means no stretching
     */
    public record Settings(long probeIntervalMillis, long probeTimeoutMinMillis, long probeTimeoutMaxMillis,
                           int indirectProbes, int maxHealthScore, long probeIntervalMaxMillis) {

        public Settings {
            // A probe interval configured longer than the default longest one is not shortened: it does not stretch.
            probeIntervalMaxMillis = Math.max(probeIntervalMillis, probeIntervalMaxMillis);
        }

        /**
         * 500–2000 ms, 200–3000 ms, 3, 8: on a LAN a dead idle link is noticed within about 3 s, and one that
         * carries messages is probed as soon as an acknowledgement is missing; memberlist's LAN values are
         * 1 s and 500 ms. On a WAN the timeout follows the round trip (docs/BENCHMARKS.md, "Adaptive
         * timeouts"). 8 is memberlist's awareness maximum.
         */
        public static Settings defaults() {
            return new Settings(500, 200, 3000, 3, 8, 2000);
        }

        /**
         * The same timeout on every link whatever its round trip, the same interval however steady the link,
         * and no local health: the detector before it adapted.
         */
        public static Settings fixed(long probeIntervalMillis, long probeTimeoutMillis, int indirectProbes) {
            return new Settings(probeIntervalMillis, probeTimeoutMillis, probeTimeoutMillis, indirectProbes, 0,
                    probeIntervalMillis);
        }
    }

    /** Told when a member is taken for down, and when it is heard from again. */
    public interface Listener {
        void down(PeerId peer);

        void up(PeerId peer);
    }

    private final Link link;
    private final Scheduler scheduler;
    private Settings settings;
    private final Random random;
    private final Predicate<PeerId> mayProbe;
    private final List<Listener> listeners = new ArrayList<>();

    private Set<PeerId> watched = Set.of();
    private final Map<PeerId, Long> lastHeard = new HashMap<>();
    private final Set<PeerId> down = new HashSet<>();
    private final Map<PeerId, RoundTripEstimate> roundTrips = new HashMap<>();
    /** Per watched member whose probes were all answered in time lately, its stretched probe interval. */
    private final Map<PeerId, Long> steadyIntervals = new HashMap<>();
    /** Stands for the round trip of a member not watched (asked for by another's PROBE_REQUEST). */
    private final RoundTripEstimate unmeasured = new RoundTripEstimate();
    /** Per watched member, this node's last direct probe whose answer has not come: its answer times the link. */
    private final Map<PeerId, TimedProbe> timing = new HashMap<>();
    private final LocalHealth health = new LocalHealth();
    /** Members that said they go offline, watched or not; until they are heard from again. */
    private final Set<PeerId> saidOffline = new HashSet<>();
    /** Probes under way by their nonce. */
    private final Map<Long, Probe> probes = new HashMap<>();
    /** The nonce of this node's own probe under way per member. */
    private final Map<PeerId, Long> probing = new HashMap<>();
    private Scheduler.Timer ticker;
    private boolean closed;

    private record TimedProbe(long nonce, long sentAtMillis) {
    }

    /** A probe under way: this node's own ({@code requester} null), or one asked for by {@code requester}. */
    private static final class Probe {
        final PeerId target;
        final PeerId requester;
        final long requesterNonce;
        Scheduler.Timer timer;
        boolean indirect;

        Probe(PeerId target, PeerId requester, long requesterNonce) {
            this.target = target;
            this.requester = requester;
            this.requesterNonce = requesterNonce;
        }
    }

    /**
     * @param mayProbe which peers may probe this node or ask it to probe others (those sharing a group):
     *                 strangers get no answers, so the detector cannot be used to flood third parties
     */
    public FailureDetector(Link link, Scheduler scheduler, Settings settings, Random random, Predicate<PeerId> mayProbe) {
        this.link = link;
        this.scheduler = scheduler;
        this.settings = settings;
        this.random = random;
        this.mayProbe = mayProbe;
    }

    /** Takes new timing; probes under way keep theirs, the next ones take it. */
    public void setSettings(Settings settings) {
        this.settings = settings;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Starts probing, one interval from now. */
    public void start() {
        ticker = scheduler.schedule(settings.probeIntervalMillis(), this::tick);
    }

    public void close() {
        closed = true;
        if (ticker != null) {
            ticker.cancel();
        }
        probes.values().forEach(p -> p.timer.cancel());
        probes.clear();
        probing.clear();
    }

    /**
     * The members to watch; new ones are probed at once, so that a repaired link is checked straight away.
     * They are kept in the order given (not {@code Set.copyOf}, whose order changes from one JVM to the
     * next), so that with a seeded {@link Random} the probes and the choice of helpers repeat exactly.
     */
    public void watch(Set<PeerId> peers) {
        Set<PeerId> previous = watched;
        watched = Collections.unmodifiableSet(new LinkedHashSet<>(peers));
        lastHeard.keySet().retainAll(watched);
        down.retainAll(watched);
        roundTrips.keySet().retainAll(watched);
        steadyIntervals.keySet().retainAll(watched);
        timing.keySet().retainAll(watched);
        for (PeerId peer : watched) {
            if (!previous.contains(peer)) {
                roundTrips.put(peer, new RoundTripEstimate());
                probe(peer);
            }
        }
    }

    public Set<PeerId> watched() {
        return watched;
    }

    public boolean isDown(PeerId peer) {
        return down.contains(peer) || saidOffline.contains(peer);
    }

    /**
     * How long a probe of {@code peer} may take, and the base of the other timeouts of its link: the
     * link's round-trip timeout within the configured bounds, stretched by this node's local health.
     */
    public long probeTimeoutMillis(PeerId peer) {
        return timeoutFor(roundTrip(peer).timeoutMillis());
    }

    private RoundTripEstimate roundTrip(PeerId peer) {
        return roundTrips.getOrDefault(peer, unmeasured);
    }

    /** A path's round-trip timeout within the configured bounds, stretched by local health. */
    private long timeoutFor(long pathTimeoutMillis) {
        long bounded = Math.max(settings.probeTimeoutMinMillis(), Math.min(settings.probeTimeoutMaxMillis(), pathTimeoutMillis));
        return health.scale(bounded, settings.maxHealthScore());
    }

    /** The smoothed round trip to a watched member, or -1 before its first timed answer. */
    public long roundTripMillis(PeerId peer) {
        return roundTrip(peer).smoothedMillis();
    }

    /** This node's local health score: 0 when its own probes are answered in time. */
    public int healthScore() {
        return health.score();
    }

    /** A frame came from {@code peer}: it is alive. */
    public void heard(PeerId peer) {
        boolean wasOffline = saidOffline.remove(peer);
        Probe ended = null;
        Long nonce = probing.remove(peer);
        if (nonce != null) {
            ended = probes.remove(nonce);
            if (ended != null) {
                ended.timer.cancel();
            }
        }
        if (!watched.contains(peer)) {
            return;
        }
        lastHeard.put(peer, scheduler.nowMillis());
        boolean refuted = down.remove(peer);
        // A member this node took for down, or whose direct probe it missed, is alive: the fault may well
        // be this node's own slowness.
        if (refuted || (ended != null && ended.indirect)) {
            health.missed(settings.maxHealthScore());
        } else if (ended != null) {
            health.answeredInTime();
            stretchInterval(peer);
        }
        if (refuted | wasOffline) {
            listeners.forEach(l -> l.up(peer));
        }
    }

    /** {@code peer} said it is going offline: take it for down without probing. */
    public void wentOffline(PeerId peer) {
        if (saidOffline.add(peer) && !down.contains(peer)) {
            listeners.forEach(l -> l.down(peer));
        }
    }

    /** Something {@code peer} should have answered went unanswered: probe it now rather than at the next tick. */
    public void suspect(PeerId peer) {
        if (watched.contains(peer) && !down.contains(peer)) {
            steadyIntervals.remove(peer);
            probe(peer);
        }
    }

    /** PROBE, PROBE_ACK and PROBE_REQUEST frames. */
    public void onFrame(PeerId from, int type, byte[] body) {
        if (closed || !mayProbe.test(from)) {
            return;
        }
        switch (type) {
            case FrameType.PROBE -> link.send(from, FrameType.PROBE_ACK, ProbeFrames.nonce(ProbeFrames.nonce(body)), () -> { });
            case FrameType.PROBE_ACK -> onProbeAck(from, ProbeFrames.nonce(body));
            case FrameType.PROBE_REQUEST -> onProbeRequest(from, ProbeFrames.Request.decode(body));
            default -> throw new IllegalArgumentException("not a probe frame: " + FrameType.name(type));
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        long now = scheduler.nowMillis();
        long interval = health.scale(settings.probeIntervalMillis(), settings.maxHealthScore());
        for (PeerId peer : watched) {
            // The answer to the previous tick's probe comes up to a probe timeout after it: counting it as a
            // sign of life within this interval put every other probe off, so that an idle member was checked
            // every two intervals only. Only what was heard since that answer could have come puts a probe off.
            long peerInterval = health.scale(intervalOf(peer), settings.maxHealthScore());
            long quiet = peerInterval - probeTimeoutMillis(peer);
            Long heard = lastHeard.get(peer);
            if (heard == null || now - heard >= quiet || down.contains(peer)) {
                probe(peer);
            }
        }
        ticker = scheduler.schedule(interval, this::tick);
    }

    private void probe(PeerId peer) {
        if (closed || probing.containsKey(peer)) {
            return;
        }
        long nonce = random.nextLong();
        Probe probe = new Probe(peer, null, 0);
        probes.put(nonce, probe);
        probing.put(peer, nonce);
        timing.put(peer, new TimedProbe(nonce, scheduler.nowMillis()));
        probe.timer = scheduler.schedule(probeTimeoutMillis(peer), () -> noAnswer(nonce));
        // A refused connection is an answer too: go on to the indirect probes at once.
        link.send(peer, FrameType.PROBE, ProbeFrames.nonce(nonce), () -> {
            if (!probe.indirect) {
                noAnswer(nonce);
            }
        });
    }

    private void noAnswer(long nonce) {
        Probe probe = probes.get(nonce);
        if (probe == null) {
            return;
        }
        probe.timer.cancel();
        if (probe.requester != null) {
            probes.remove(nonce);
            return;
        }
        RoundTripEstimate estimate = roundTrips.get(probe.target);
        if (!probe.indirect && estimate != null) {
            estimate.timedOut();
        }
        steadyIntervals.remove(probe.target);
        if (!probe.indirect && !down.contains(probe.target)) {
            List<PeerId> helpers = new ArrayList<>(watched);
            helpers.remove(probe.target);
            helpers.removeIf(this::isDown);
            Collections.shuffle(helpers, random);
            List<PeerId> asked = helpers.subList(0, Math.min(settings.indirectProbes(), helpers.size()));
            if (!asked.isEmpty()) {
                probe.indirect = true;
                byte[] request = new ProbeFrames.Request(nonce, probe.target).encode();
                asked.forEach(helper -> link.send(helper, FrameType.PROBE_REQUEST, request, () -> { }));
                // The path goes to the helper and back, and from the helper to the target and back, which is
                // taken to be as long as from this node.
                long slowestHelper = asked.stream().mapToLong(helper -> roundTrip(helper).timeoutMillis()).max().orElseThrow();
                long path = slowestHelper + roundTrip(probe.target).timeoutMillis();
                probe.timer = scheduler.schedule(timeoutFor(path), () -> noAnswer(nonce));
                return;
            }
        }
        probes.remove(nonce);
        probing.remove(probe.target);
        if (down.add(probe.target)) {
            listeners.forEach(l -> l.down(probe.target));
        }
    }

    /**
     * A link that answers every probe in time is probed less and less often, up to the longest interval:
     * an idle link needs no checks as frequent as one that carries messages, whose missing acknowledgement
     * starts a probe at once ({@link #suspect}). A probe missed, a suspicion or a new watch starts it over.
     */
    private void stretchInterval(PeerId peer) {
        steadyIntervals.put(peer, Math.min(settings.probeIntervalMaxMillis(), 2 * intervalOf(peer)));
    }

    /** A watched member's probe interval before local health: stretched while steady, within the settings in force. */
    private long intervalOf(PeerId peer) {
        long stretched = steadyIntervals.getOrDefault(peer, settings.probeIntervalMillis());
        return Math.max(settings.probeIntervalMillis(), Math.min(settings.probeIntervalMaxMillis(), stretched));
    }

    /**
     * The answer to a probe: the direct answer to this node's own probe times the link, even when it comes
     * after the timeout (the nonce names the one probe it answers, as TCP's timestamps do), while one passed
     * back by a helper never does (Karn's rule: it took another path).
     */
    private void onProbeAck(PeerId from, long nonce) {
        TimedProbe timed = timing.get(from);
        RoundTripEstimate roundTrip = roundTrips.get(from);
        if (timed != null && timed.nonce() == nonce && roundTrip != null) {
            timing.remove(from);
            roundTrip.sample(scheduler.nowMillis() - timed.sentAtMillis());
        }
        Probe probe = probes.get(nonce);
        if (probe == null) {
            return;
        }
        if (probe.requester != null) {
            probes.remove(nonce);
            probe.timer.cancel();
            link.send(probe.requester, FrameType.PROBE_ACK, ProbeFrames.nonce(probe.requesterNonce), () -> { });
        } else {
            heard(probe.target);
        }
    }

    private void onProbeRequest(PeerId from, ProbeFrames.Request request) {
        if (!mayProbe.test(request.target()) || request.target().equals(from)) {
            return;
        }
        long nonce = random.nextLong();
        Probe probe = new Probe(request.target(), from, request.nonce());
        probes.put(nonce, probe);
        probe.timer = scheduler.schedule(probeTimeoutMillis(request.target()), () -> noAnswer(nonce));
        link.send(request.target(), FrameType.PROBE, ProbeFrames.nonce(nonce), () -> { });
    }
}
