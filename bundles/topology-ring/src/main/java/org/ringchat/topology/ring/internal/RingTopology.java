package org.ringchat.topology.ring.internal;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.ringchat.api.PeerId;
import org.ringchat.spi.Topology;

/**
 * The members' list closed into a ring: a message goes to the member after this one, and when that
 * member is down, to the one after it, and so on around the ring.
 */
@Component(service = Topology.class, property = "topology.name=ring")
public final class RingTopology implements Topology {

    @Override
    public String name() {
        return "ring";
    }

    @Override
    public List<PeerId> nextHops(List<PeerId> members, PeerId self) {
        int position = members.indexOf(self);
        if (position < 0) {
            throw new IllegalArgumentException("not a member of the ring: " + self);
        }
        List<PeerId> hops = new ArrayList<>(members.size() - 1);
        for (int step = 1; step < members.size(); step++) {
            hops.add(members.get((position + step) % members.size()));
        }
        return hops;
    }
}
