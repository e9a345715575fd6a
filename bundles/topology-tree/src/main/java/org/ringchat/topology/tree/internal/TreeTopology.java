package org.ringchat.topology.tree.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.ringchat.api.PeerId;
import org.ringchat.spi.HandOff;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;

/**
 * A fixed, balanced tree over the ring order, laid out like a heap: the member at position p has the
 * parent (p − 1) / {@value #ARITY} and the children {@value #ARITY}·p + 1 to {@value #ARITY}·p + {@value #ARITY}.
 * Every member links to its tree neighbours, and a leaf to its siblings too (below): at most
 * {@value #ARITY} + 1 links whatever the group's size. A message floods the tree from its author,
 * reaching every member once in at most twice the tree's height hops.
 *
 * <p>The route of a hand-off is the tree neighbour the message came through, which its target does not
 * send it back to; the author's route is itself. A target that is down is contracted: its other tree
 * neighbours get the message directly, with the dead member as the neighbour it came through.
 */
@Component(service = Topology.class, property = "topology.name=tree")
public final class TreeTopology implements Topology {

    /**
     * Children per member. Part of the protocol: members with different arities would build different
     * trees and lose messages, so every member must use the same.
     */
    public static final int ARITY = 4;

    @Override
    public String name() {
        return "tree";
    }

    /**
     * The tree neighbours; for a leaf, whose only neighbour is its parent, also the parent's other children,
     * or for an only child the grandparent. The failure detector asks the members it watches to probe one
     * that did not answer: watching its parent alone, a leaf had nobody to ask and took it for down at the
     * first lost probe. Siblings and grandparent are linked to the parent, so they can probe it.
     */
    @Override
    public Set<PeerId> links(Ring ring, PeerId self) {
        Set<PeerId> links = neighbours(ring, self);
        int position = ring.positionOf(self);
        if (links.size() == 1 && position > 0) {
            int parent = (position - 1) / ARITY;
            for (long sibling = (long) ARITY * parent + 1; sibling <= (long) ARITY * parent + ARITY && sibling < ring.size(); sibling++) {
                links.add(ring.at((int) sibling));
            }
            links.remove(self);
            if (links.size() == 1 && parent > 0) {
                links.add(ring.at((parent - 1) / ARITY));
            }
        }
        return links;
    }

    /** To every tree neighbour but the one the message came through; to all when that is not one. */
    @Override
    public List<HandOff> forward(Ring ring, PeerId self, PeerId via) {
        List<HandOff> handOffs = new ArrayList<>(ARITY + 1);
        for (PeerId neighbour : neighbours(ring, self)) {
            if (!neighbour.equals(via)) {
                handOffs.add(new HandOff(neighbour, self));
            }
        }
        return handOffs;
    }

    /** To the failed target's tree neighbours but the one the message came through, and but self. */
    @Override
    public List<HandOff> reroute(Ring ring, PeerId self, HandOff failed) {
        if (!ring.contains(self)) {
            return List.of();
        }
        PeerId dead = failed.target();
        List<HandOff> handOffs = new ArrayList<>(ARITY + 1);
        for (PeerId neighbour : neighbours(ring, dead)) {
            if (!neighbour.equals(failed.route()) && !neighbour.equals(self)) {
                handOffs.add(new HandOff(neighbour, dead));
            }
        }
        return handOffs;
    }

    /** The parent and children of a member, in that order; none for a non-member. */
    private static Set<PeerId> neighbours(Ring ring, PeerId peer) {
        Set<PeerId> neighbours = new LinkedHashSet<>();
        int position = ring.positionOf(peer);
        if (position < 0) {
            return neighbours;
        }
        if (position > 0) {
            neighbours.add(ring.at((position - 1) / ARITY));
        }
        long firstChild = (long) ARITY * position + 1;
        for (long child = firstChild; child < firstChild + ARITY && child < ring.size(); child++) {
            neighbours.add(ring.at((int) child));
        }
        return neighbours;
    }
}
