package org.ringchat.spi.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;

import org.ringchat.api.PeerId;
import org.ringchat.spi.HandOff;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;

/**
 * Plays one broadcast through a topology breadth-first, the way the group engine does: a hand-off to a
 * live member is a receipt followed by that member's forward; a hand-off to a member that is down is
 * replaced by the sender's reroute. Receivers do not drop duplicates, so every copy shows in the counts.
 * Fails when a hand-off names its sender or the broadcast does not stop.
 */
public final class Broadcast {

    /** A hand-off as made by its sender. */
    public record Send(PeerId sender, HandOff handOff) {
    }

    /**
     * @param receipts copies received, by ring position
     * @param depths   hops from the author at the first receipt, by ring position
     * @param sends    hand-offs attempted, to live and down members
     * @param forwards the hand-offs made by {@code forward}, not by {@code reroute}
     */
    public record Result(int[] receipts, int[] depths, int sends, List<Send> forwards) {

        public int maxDepth() {
            int max = 0;
            for (int depth : depths) {
                max = Math.max(max, depth);
            }
            return max;
        }
    }

    private record Pending(Send send, int depth) {
    }

    private Broadcast() {
    }

    public static Result run(Topology topology, Ring ring, PeerId author, Set<PeerId> down) {
        int[] receipts = new int[ring.size()];
        int[] depths = new int[ring.size()];
        int sends = 0;
        List<Send> forwards = new ArrayList<>();
        Queue<Pending> queue = new ArrayDeque<>();
        forward(topology, ring, new HandOff(author, author), 1, queue, forwards);
        int budget = 64 * (ring.size() + 1);
        while (!queue.isEmpty()) {
            assertTrue(--budget >= 0, "the broadcast does not stop");
            Pending pending = queue.remove();
            PeerId sender = pending.send().sender();
            HandOff handOff = pending.send().handOff();
            assertNotEquals(sender, handOff.target(), "a hand-off to its own sender");
            sends++;
            if (down.contains(handOff.target())) {
                for (HandOff replacement : topology.reroute(ring, sender, handOff)) {
                    queue.add(new Pending(new Send(sender, replacement), pending.depth()));
                }
            } else {
                int position = ring.positionOf(handOff.target());
                if (receipts[position]++ == 0) {
                    depths[position] = pending.depth();
                }
                forward(topology, ring, handOff, pending.depth() + 1, queue, forwards);
            }
        }
        return new Result(receipts, depths, sends, forwards);
    }

    private static void forward(Topology topology, Ring ring, HandOff received, int depth,
            Queue<Pending> queue, List<Send> forwards) {
        for (HandOff next : topology.forward(ring, received.target(), received.route())) {
            Send send = new Send(received.target(), next);
            forwards.add(send);
            queue.add(new Pending(send, depth));
        }
    }

    /** Checks that every member got exactly one copy, but the author and the members down, which got none. */
    public static void assertEachReceivesOnce(Ring ring, PeerId author, Set<PeerId> down, Result result) {
        for (PeerId member : ring.members()) {
            int expected = member.equals(author) || down.contains(member) ? 0 : 1;
            assertEquals(expected, result.receipts()[ring.positionOf(member)],
                    "copies at position " + ring.positionOf(member) + " from author " + ring.positionOf(author)
                            + " with " + down.size() + " down of " + ring.size());
        }
    }
}
