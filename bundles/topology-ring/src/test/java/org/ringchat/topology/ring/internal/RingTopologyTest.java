package org.ringchat.topology.ring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ringchat.api.PeerId;
import org.ringchat.spi.HandOff;
import org.ringchat.spi.testing.Members;
import org.ringchat.spi.testing.Broadcast;
import org.ringchat.spi.Ring;

class RingTopologyTest {


    private final RingTopology topology = new RingTopology();

    @Test
    void isNamedRing() {
        assertEquals("ring", topology.name());
    }

    @ParameterizedTest(name = "N = {0}")
    @MethodSource("org.ringchat.spi.testing.Members#sizes")
    void aHealthyBroadcastReachesEveryoneButTheAuthorOnceWithinLog2Hops(int n) {
        Ring ring = Members.ring(n);
        for (int author : Members.authorPositions(n, new Random(n))) {
            Broadcast.Result result = Broadcast.run(topology, ring, ring.at(author), Set.of());
            Broadcast.assertEachReceivesOnce(ring, ring.at(author), Set.of(), result);
            assertEquals(n - 1, result.sends(), "copies sent");
            assertTrue(result.maxDepth() <= ceilLog2(n), "depth " + result.maxDepth() + " > ceil(log2 " + n + ")");
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

    @ParameterizedTest(name = "N = {0}")
    @MethodSource("org.ringchat.spi.testing.Members#sizes")
    void linksAreFewAndNeverSelf(int n) {
        Ring ring = Members.ring(n);
        for (PeerId self : ring.members()) {
            Set<PeerId> links = topology.links(ring, self);
            assertFalse(links.contains(self));
            assertTrue(links.size() <= ceilLog2(n) + 1, links.size() + " links");
            if (n > 1) {
                assertTrue(links.contains(ring.after(self, 1)) && links.contains(ring.after(self, -1)));
            }
        }
    }

    @Test
    void theAuthorSplitsTheRingAtPowersOfTwo() {
        Ring ring = Members.ring(8);
        assertEquals(List.of(handOff(ring, 1, 2), handOff(ring, 2, 4), handOff(ring, 4, 0)),
                topology.forward(ring, ring.at(0), ring.at(0)));
    }

    @Test
    void aRangeIsSplitUpToItsEnd() {
        Ring ring = Members.ring(8);
        assertEquals(List.of(handOff(ring, 4, 5), handOff(ring, 5, 7), handOff(ring, 7, 0)),
                topology.forward(ring, ring.at(3), ring.at(0)));
        assertEquals(List.of(), topology.forward(ring, ring.at(3), ring.at(4)));
    }

    @Test
    void anEndOffTheRingMeansTheWholeRing() {
        Ring ring = Members.ring(8);
        assertEquals(topology.forward(ring, ring.at(2), ring.at(2)), topology.forward(ring, ring.at(2), Members.peer(8)));
    }

    @Test
    void theMemberAfterAFailedTargetTakesItsRangeOver() {
        Ring ring = Members.ring(8);
        assertEquals(List.of(handOff(ring, 5, 0)), topology.reroute(ring, ring.at(0), handOff(ring, 4, 0)));
        assertEquals(List.of(handOff(ring, 3, 4)), topology.reroute(ring, ring.at(0), handOff(ring, 2, 4)));
    }

    @Test
    void aFailedTargetAloneInItsRangeIsNotReplaced() {
        Ring ring = Members.ring(8);
        assertEquals(List.of(), topology.reroute(ring, ring.at(0), handOff(ring, 1, 2)));
        assertEquals(List.of(), topology.reroute(ring, ring.at(0), handOff(ring, 7, 0)));
        assertEquals(List.of(), topology.reroute(ring, ring.at(0), handOff(ring, 7, 2)), "never back to self");
    }

    @Test
    void aMemberOffTheRingHandsNothingOn() {
        Ring ring = Members.ring(8);
        PeerId outsider = Members.peer(8);
        assertEquals(Set.of(), topology.links(ring, outsider));
        assertEquals(List.of(), topology.forward(ring, outsider, outsider));
        assertEquals(List.of(), topology.reroute(ring, outsider, handOff(ring, 1, 2)));
    }

    private static HandOff handOff(Ring ring, int target, int route) {
        return new HandOff(ring.at(target), ring.at(route));
    }

    private static int ceilLog2(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }
}
