package org.ringchat.group.internal;

import java.time.Duration;
import java.util.function.Supplier;

import org.ringchat.api.PeerId;
import org.ringchat.spi.Ring;

/**
 * Compares what this node holds of each group with a ring neighbour, the successor and the predecessor in
 * turn (the next live one), and fetches what it lacks; the neighbour fetches in turn what this node has
 * and it lacks. This is what makes every live member get every message, whatever the broadcast lost;
 * when nothing is missing it costs one small request and one empty answer per round.
 */
final class AntiEntropy {

    private final PeerId self;
    private final Groups groups;
    private final Dissemination dissemination;
    private final FailureDetector detector;
    private final CatchUp catchUp;
    private final EngineLoop loop;
    private final Supplier<Duration> interval;
    private int rounds;

    AntiEntropy(PeerId self, Groups groups, Dissemination dissemination, FailureDetector detector, CatchUp catchUp,
                EngineLoop loop, Supplier<Duration> interval) {
        this.self = self;
        this.groups = groups;
        this.dissemination = dissemination;
        this.detector = detector;
        this.catchUp = catchUp;
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
        int direction = rounds % 2 == 0 ? 1 : -1;
        for (Group group : groups.all()) {
            Ring ring = dissemination.ring(group.info.id());
            if (ring == null || ring.size() < 2) {
                continue;
            }
            for (int step = 1; step < ring.size(); step++) {
                PeerId peer = ring.after(self, direction * step);
                if (!detector.isDown(peer)) {
                    catchUp.startSync(group, peer);
                    break;
                }
            }
        }
        loop.schedule(interval.get().toMillis(), this::round);
    }
}
