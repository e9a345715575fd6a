package org.ringchat.web.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;

import org.ringchat.api.PeerId;
import org.ringchat.spi.HandOff;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;

/**
 * The hand-off tree a topology plans for a message from its author, replayed breadth-first as the group
 * engine spreads it: the author forwards with its own ID as the route, every member that receives a
 * hand-off forwards with that hand-off's route, and a hand-off to a member that is down is replaced by
 * its sender's reroute. A pure function of its arguments: it shows the plan for the members this node
 * takes for down, not what the network did (the message's trace says that for this node's own hops).
 */
final class MessagePath {

    /** How a step came about. */
    enum Kind {
        /** planned by the sender's {@code forward} */
        FORWARD,
        /** replaces a hand-off to a member that is down ({@code reroute}) */
        REROUTE
    }

    /**
     * One hand-off.
     *
     * @param hop        hops from the author when it arrives (a reroute arrives at the hop of the one it replaces)
     * @param targetDown the target is down: this step fails, and the sender's reroutes follow it
     */
    record Step(PeerId from, PeerId to, PeerId route, Kind kind, int hop, boolean targetDown) {
    }

    /**
     * @param steps     every hand-off, in the order the replay made them
     * @param reached   the members that receive the message, the author first
     * @param unreached the members that are not down and still do not receive it (empty for a sound topology)
     */
    record Plan(List<Step> steps, Set<PeerId> reached, Set<PeerId> unreached) {
    }

    private record Pending(PeerId from, HandOff handOff, Kind kind, int hop) {
    }

    private MessagePath() {
    }

    /**
     * Replays a broadcast. A member the topology hands the message to twice receives it once and forwards
     * it once, as the engine drops duplicates. An author that is not on the ring (it left) yields no steps.
     * The replay stops after 64 hand-offs per member, whatever the topology plug-in does.
     */
    static Plan plan(Ring ring, Topology topology, PeerId author, Set<PeerId> down) {
        List<Step> steps = new ArrayList<>();
        Set<PeerId> reached = new LinkedHashSet<>();
        if (!ring.contains(author)) {
            return new Plan(steps, reached, new LinkedHashSet<>(ring.members()));
        }
        reached.add(author);
        Queue<Pending> queue = new ArrayDeque<>();
        enqueueForward(queue, topology.forward(ring, author, author), author, 1);
        int budget = 64 * ring.size();
        while (!queue.isEmpty() && budget-- > 0) {
            Pending pending = queue.remove();
            PeerId target = pending.handOff().target();
            if (target.equals(pending.from()) || !ring.contains(target) || reached.contains(target)) {
                continue; // not a hand-off the engine would make, or a duplicate it would drop
            }
            boolean targetDown = down.contains(target);
            steps.add(new Step(pending.from(), target, pending.handOff().route(), pending.kind(), pending.hop(), targetDown));
            if (targetDown) {
                for (HandOff replacement : topology.reroute(ring, pending.from(), pending.handOff())) {
                    queue.add(new Pending(pending.from(), replacement, Kind.REROUTE, pending.hop()));
                }
            } else {
                reached.add(target);
                enqueueForward(queue, topology.forward(ring, target, pending.handOff().route()), target, pending.hop() + 1);
            }
        }
        Set<PeerId> unreached = new LinkedHashSet<>(ring.members());
        unreached.removeAll(reached);
        unreached.removeAll(down);
        return new Plan(steps, reached, unreached);
    }

    private static void enqueueForward(Queue<Pending> queue, List<HandOff> handOffs, PeerId from, int hop) {
        for (HandOff handOff : handOffs) {
            queue.add(new Pending(from, handOff, Kind.FORWARD, hop));
        }
    }
}
