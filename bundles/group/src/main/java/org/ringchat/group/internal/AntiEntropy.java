package org.ringchat.group.internal;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.ringchat.api.PeerId;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;

/**
 * Compares what this node holds of each group with a member it is linked to, each of its topology's links
 * in turn (those its failure detector watches, so that one known to be down is passed over), and fetches
 * what it lacks; the member fetches in turn what this node has and it lacks. As the links connect the
 * group, this is what makes every live member get every message, whatever the broadcast lost; when
 * nothing is missing it costs one small request and one empty answer per round. The same member is asked
 * for the confirmations this node lacks ({@link ConfirmationRepair}).
 */
public final class AntiEntropy {

    private final PeerId self;
    private final Groups groups;
    private final Dissemination dissemination;
    private final FailureDetector detector;
    private final Supplier<Topology> topology;
    private final CatchUp catchUp;
    private final ConfirmationRepair confirmations;
    private final EngineLoop loop;
    private final Supplier<Duration> interval;
    private int rounds;

    AntiEntropy(PeerId self, Groups groups, Dissemination dissemination, FailureDetector detector,
                Supplier<Topology> topology, CatchUp catchUp, ConfirmationRepair confirmations, EngineLoop loop,
                Supplier<Duration> interval) {
        this.self = self;
        this.groups = groups;
        this.dissemination = dissemination;
        this.detector = detector;
        this.topology = topology;
        this.catchUp = catchUp;
        this.confirmations = confirmations;
        this.loop = loop;
        this.interval = interval;
    }

    /** Starts the rounds; the first one an interval from now. */
    void start() {
        loop.schedule(interval.get().toMillis(), this::round);
    }

    /** Catches up on every group from the member after this one on the ring: what a node does when it comes back. */
    void catchUpFromSuccessors() {
        for (Group group : groups.all()) {
            Ring ring = dissemination.ring(group.info.id());
            if (ring != null && ring.size() > 1) {
                catchUp.startSync(group, ring.after(self, 1));
            }
        }
    }

    private void round() {
        rounds++;
        for (Group group : groups.all()) {
            Ring ring = dissemination.ring(group.info.id());
            PeerId partner = ring == null ? null : partner(ring, self, topology.get(), detector::isDown, rounds);
            if (partner != null) {
                catchUp.startSync(group, partner);
                confirmations.ask(group, partner);
            }
        }
        loop.schedule(interval.get().toMillis(), this::round);
    }

    /**
     * Whom {@code self} compares with in its {@code round}-th round: its topology's links in ring order, in
     * turn, passing over those known to be down. When every link is down (or there is no topology), the
     * next live member after it on the ring, as the repaired links of the broadcast reach it too. Null when
     * nobody else is in the group, or everyone is known to be down.
     */
    public static PeerId partner(Ring ring, PeerId self, Topology topology, Predicate<PeerId> isDown, int round) {
        if (ring.size() < 2 || !ring.contains(self)) {
            return null;
        }
        if (topology != null) {
            List<PeerId> links = topology.links(ring, self).stream()
                    .sorted(Comparator.comparingInt(peer -> ring.distance(self, peer))).toList();
            for (int i = 0; i < links.size(); i++) {
                PeerId link = links.get(Math.floorMod(round + i, links.size()));
                if (!isDown.test(link)) {
                    return link;
                }
            }
        }
        for (int step = 1; step < ring.size(); step++) {
            PeerId peer = ring.after(self, step);
            if (!isDown.test(peer)) {
                return peer;
            }
        }
        return null;
    }
}
