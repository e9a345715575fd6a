package org.ringchat.topology.ring.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.ringchat.api.PeerId;
import org.ringchat.spi.HandOff;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;

/**
 * Broadcast over the ring's skip links (El-Ansary et al., "Efficient broadcast in structured P2P
 * networks", 2003): every member links to the members 1, 2, 4, 8, ... places after it, and splits the
 * range of the ring it must cover among them, so a message reaches all N members in at most
 * ⌈log₂ N⌉ hops with N − 1 copies, while each member keeps only O(log N) connections.
 *
 * <p>The route of a hand-off is the exclusive end of the range its target must cover; the author's own
 * route is itself, meaning the whole ring but itself. A target that is down is replaced by the next
 * member of its range, which then covers the whole range.
 */
@Component(service = Topology.class, property = "topology.name=ring")
public final class RingTopology implements Topology {

    @Override
    public String name() {
        return "ring";
    }

    /** The members at distances 1, 2, 4, ... ahead, and the predecessor. */
    @Override
    public Set<PeerId> links(Ring ring, PeerId self) {
        Set<PeerId> links = new HashSet<>();
        if (!ring.contains(self)) {
            return links;
        }
        for (long distance = 1; distance < ring.size(); distance *= 2) {
            links.add(ring.after(self, (int) distance));
        }
        if (ring.size() > 1) {
            links.add(ring.after(self, -1));
        }
        return links;
    }

    /**
     * Splits the members strictly between {@code self} and {@code end} at distances 1, 2, 4, ...: each
     * target covers up to the next one, the last up to {@code end}. An {@code end} that is {@code self}
     * or not on the ring (the membership changed) means the whole ring: a copy too many is dropped by
     * the receiver, a lost one is not recovered.
     */
    @Override
    public List<HandOff> forward(Ring ring, PeerId self, PeerId end) {
        if (!ring.contains(self)) {
            return List.of();
        }
        boolean wholeRing = end.equals(self) || !ring.contains(end);
        PeerId rangeEnd = wholeRing ? self : end;
        int members = wholeRing ? ring.size() - 1 : ring.distance(self, end) - 1;
        List<HandOff> handOffs = new ArrayList<>();
        for (long distance = 1; distance <= members; distance *= 2) {
            long next = distance * 2;
            PeerId route = next <= members ? ring.after(self, (int) next) : rangeEnd;
            handOffs.add(new HandOff(ring.after(self, (int) distance), route));
        }
        return handOffs;
    }

    /** The member after the failed target takes its range over, unless the range ends there. */
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
