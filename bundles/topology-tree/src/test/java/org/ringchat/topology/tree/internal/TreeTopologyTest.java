package org.ringchat.topology.tree.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ringchat.api.PeerId;
import org.ringchat.spi.HandOff;
import org.ringchat.spi.testing.Members;
import org.ringchat.spi.testing.Broadcast;
import org.ringchat.spi.Ring;

class TreeTopologyTest {


    private final TreeTopology topology = new TreeTopology();

    @Test
    void isNamedTreeOfArityFour() {
        assertEquals("tree", topology.name());
        assertEquals(4, TreeTopology.ARITY);
    }

    /**
     * The heap's height h is at most ⌈log₄ N⌉ (a member at depth h means N ≥ (4^h + 2) / 3 > 4^(h−1)),
     * and a message goes up from its author to the root's side and down again: at most 2h hops, h from the root.
     */
    @ParameterizedTest(name = "N = {0}")
    @MethodSource("org.ringchat.spi.testing.Members#sizes")
    void aHealthyBroadcastReachesEveryoneButTheAuthorOnceWithinTwiceTheHeight(int n) {
        Ring ring = Members.ring(n);
        for (int author : Members.authorPositions(n, new Random(n))) {
            Broadcast.Result result = Broadcast.run(topology, ring, ring.at(author), Set.of());
            Broadcast.assertEachReceivesOnce(ring, ring.at(author), Set.of(), result);
            assertEquals(n - 1, result.sends(), "copies sent");
            int bound = author == 0 ? ceilLog4(n) : 2 * ceilLog4(n);
            assertTrue(result.maxDepth() <= bound, "depth " + result.maxDepth() + " > " + bound + " from " + author);
        }
    }

    @ParameterizedTest(name = "N = {0}")
    @MethodSource("org.ringchat.spi.testing.Members#sizes")
    void aHealthyBroadcastGoesOverLinksOnly(int n) {
        Ring ring = Members.ring(n);
        for (int author : Members.authorPositions(n, new Random(n))) {
            for (Broadcast.Send send : Broadcast.run(topology, ring, ring.at(author), Set.of()).forwards()) {
                assertTrue(topology.links(ring, send.sender()).contains(send.handOff().target()),
                        "forwarded outside the links: " + send);
            }
        }
    }

    @ParameterizedTest(name = "N = {0}, {1} down")
    @MethodSource("org.ringchat.spi.testing.Members#crashes")
    void everyLiveMemberReceivesOnceWhateverIsDown(int n, double share) {
        Ring ring = Members.ring(n);
        Random random = new Random(31L * n + Math.round(share * 100));
        for (int author : Members.authorPositions(n, random)) {
            Set<PeerId> down = Members.crashed(ring, ring.at(author), share, random);
            Broadcast.assertEachReceivesOnce(ring, ring.at(author), down, Broadcast.run(topology, ring, ring.at(author), down));
        }
    }

    /**
     * At most five links, among them the tree neighbours (those a message goes to), which are symmetric and
     * N − 1 edges in all: with the healthy broadcasts' reach, a spanning tree.
     */
    @ParameterizedTest(name = "N = {0}")
    @MethodSource("org.ringchat.spi.testing.Members#sizes")
    void linksHoldTheEdgesOfATreeAndAreBoundedInNumber(int n) {
        Ring ring = Members.ring(n);
        int degrees = 0;
        for (PeerId self : ring.members()) {
            Set<PeerId> links = topology.links(ring, self);
            assertFalse(links.contains(self));
            assertTrue(links.size() <= TreeTopology.ARITY + 1, links.size() + " links");
            Set<PeerId> treeNeighbours = treeNeighbours(ring, self);
            assertTrue(links.containsAll(treeNeighbours), "every tree neighbour is a link");
            for (PeerId neighbour : treeNeighbours) {
                assertTrue(treeNeighbours(ring, neighbour).contains(self), "a one-way tree edge");
            }
            degrees += treeNeighbours.size();
        }
        assertEquals(2 * (n - 1), degrees);
    }

    /**
     * The failure detector asks the other members a node watches to probe one that does not answer: in a
     * group of three or more, every member, leaves included, watches two or more.
     */
    @ParameterizedTest(name = "N = {0}")
    @MethodSource("org.ringchat.spi.testing.Members#sizes")
    void everyMemberHasOthersToAskForIndirectProbes(int n) {
        Ring ring = Members.ring(n);
        for (PeerId self : ring.members()) {
            assertTrue(n < 3 || topology.links(ring, self).size() >= 2, "alone with one link: " + ring.positionOf(self));
        }
    }

    @Test
    void membersAreLinkedLikeAHeap() {
        Ring ring = Members.ring(21);
        assertEquals(members(ring, 1, 2, 3, 4), topology.links(ring, ring.at(0)));
        assertEquals(members(ring, 0, 5, 6, 7, 8), topology.links(ring, ring.at(1)));
        assertEquals(members(ring, 0, 17, 18, 19, 20), topology.links(ring, ring.at(4)));
        assertEquals(members(ring, 1, 6, 7, 8), topology.links(ring, ring.at(5)), "a leaf: its parent and siblings");
        Ring six = Members.ring(6);
        assertEquals(members(six, 0, 1), topology.links(six, six.at(5)), "an only child: its parent and grandparent");
    }

    @Test
    void aMessageGoesOnToEveryTreeNeighbourButTheOneItCameThrough() {
        Ring ring = Members.ring(21);
        assertEquals(handOffs(ring, 1, 5, 6, 7, 8), topology.forward(ring, ring.at(1), ring.at(0)));
        assertEquals(handOffs(ring, 1, 0, 6, 7, 8), topology.forward(ring, ring.at(1), ring.at(5)));
        assertEquals(handOffs(ring, 1, 0, 5, 6, 7, 8), topology.forward(ring, ring.at(1), ring.at(1)));
    }

    @Test
    void aRouteThatIsNoTreeNeighbourExcludesNone() {
        Ring ring = Members.ring(21);
        assertEquals(handOffs(ring, 1, 0, 5, 6, 7, 8), topology.forward(ring, ring.at(1), ring.at(9)));
        assertEquals(handOffs(ring, 1, 0, 5, 6, 7, 8), topology.forward(ring, ring.at(1), Members.peer(21)));
    }

    @Test
    void aFailedTargetsOtherNeighboursGetTheMessageDirectly() {
        Ring ring = Members.ring(21);
        HandOff failed = new HandOff(ring.at(1), ring.at(0));
        assertEquals(handOffs(ring, 1, 5, 6, 7, 8), topology.reroute(ring, ring.at(0), failed));
    }

    @Test
    void aRerouteNeverNamesSelf() {
        Ring ring = Members.ring(21);
        HandOff failed = new HandOff(ring.at(1), ring.at(9));
        assertEquals(handOffs(ring, 1, 0, 6, 7, 8), topology.reroute(ring, ring.at(5), failed));
    }

    @Test
    void aMemberOffTheRingHandsNothingOn() {
        Ring ring = Members.ring(21);
        PeerId outsider = Members.peer(21);
        assertEquals(Set.of(), topology.links(ring, outsider));
        assertEquals(List.of(), topology.forward(ring, outsider, outsider));
        assertEquals(List.of(), topology.reroute(ring, outsider, new HandOff(ring.at(1), outsider)));
    }

    private Set<PeerId> treeNeighbours(Ring ring, PeerId self) {
        return Set.copyOf(topology.forward(ring, self, self).stream().map(HandOff::target).toList());
    }

    private static Set<PeerId> members(Ring ring, int... positions) {
        return Set.copyOf(IntStream.of(positions).mapToObj(ring::at).toList());
    }

    /** Hand-offs to the members at {@code targets}, each routed through the member at {@code via}. */
    private static List<HandOff> handOffs(Ring ring, int via, int... targets) {
        return IntStream.of(targets).mapToObj(t -> new HandOff(ring.at(t), ring.at(via))).toList();
    }

    private static int ceilLog4(int n) {
        int log = 0;
        for (long power = 1; power < n; power *= 4) {
            log++;
        }
        return log;
    }
}
