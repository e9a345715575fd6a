package org.ringchat.simulator;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.ringchat.api.PeerId;
import org.ringchat.spi.HandOff;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;

/**
 * The plain ring, for comparison only (the simulator's own, not a bundle): every member hands a message to
 * its successor, until the next one would be the author; a member links to its successor and
 * predecessor. N − 1 copies but N − 1 hops. The route is always the author.
 */
public final class NaiveRingTopology implements Topology {

    @Override
    public String name() {
        return "naive";
    }

    @Override
    public Set<PeerId> links(Ring ring, PeerId self) {
        Set<PeerId> links = new LinkedHashSet<>();
        if (ring.contains(self) && ring.size() > 1) {
            links.add(ring.after(self, 1));
            links.add(ring.after(self, -1));
        }
        return links;
    }

    @Override
    public List<HandOff> forward(Ring ring, PeerId self, PeerId author) {
        if (!ring.contains(self) || ring.size() < 2) {
            return List.of();
        }
        PeerId next = ring.after(self, 1);
        if (next.equals(author) || next.equals(self)) {
            return List.of();
        }
        return List.of(new HandOff(next, author));
    }

    @Override
    public List<HandOff> reroute(Ring ring, PeerId self, HandOff failed) {
        if (!ring.contains(self) || !ring.contains(failed.target())) {
            return List.of();
        }
        PeerId next = ring.after(failed.target(), 1);
        if (next.equals(failed.route()) || next.equals(self)) {
            return List.of();
        }
        return List.of(new HandOff(next, failed.route()));
    }
}
