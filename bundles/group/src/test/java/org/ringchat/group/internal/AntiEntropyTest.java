package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.ringchat.api.GroupId;
import org.ringchat.api.PeerId;
import org.ringchat.spi.Ring;
import org.ringchat.topology.ring.internal.RingTopology;
import org.ringchat.topology.tree.internal.TreeTopology;

/** Whom a member compares with: the members its detector watches (its topology's links), in turn. */
class AntiEntropyTest {

    private final Ring ring = Ring.of(GroupId.fromBytes(DisseminationTest.sha256("group")),
            IntStream.range(0, 21).mapToObj(i -> PeerId.fromBytes(DisseminationTest.sha256("member " + i))).toList());

    @Test
    void aTreeLeafComparesWithItsParentAndSiblingsInTurnNotWithItsRingNeighbours() {
        PeerId leaf = ring.at(5);
        List<PeerId> partners = IntStream.range(0, 8)
                .mapToObj(round -> AntiEntropy.partner(ring, leaf, new TreeTopology(), p -> false, round)).toList();
        Set<PeerId> links = new TreeTopology().links(ring, leaf);
        assertEquals(links, Set.copyOf(partners), "each link, and only links");
        assertEquals(partners.subList(0, 4), partners.subList(4, 8), "in a fixed turn");
    }

    @Test
    void aMemberKnownToBeDownIsPassedOver() {
        PeerId self = ring.at(0);
        Set<PeerId> down = Set.of(ring.at(1));
        for (int round = 0; round < 10; round++) {
            PeerId partner = AntiEntropy.partner(ring, self, new RingTopology(), down::contains, round);
            assertEquals(true, new RingTopology().links(ring, self).contains(partner));
            assertEquals(false, down.contains(partner));
        }
    }

    @Test
    void whenEveryLinkIsDownTheNextLiveMemberOnTheRingIsAsked() {
        PeerId self = ring.at(0);
        Set<PeerId> links = new RingTopology().links(ring, self);
        PeerId firstLive = IntStream.range(1, 21).mapToObj(i -> ring.after(self, i)).filter(p -> !links.contains(p))
                .findFirst().orElseThrow();
        assertEquals(firstLive, AntiEntropy.partner(ring, self, new RingTopology(), links::contains, 3));
        assertEquals(ring.after(self, 1), AntiEntropy.partner(ring, self, null, p -> false, 3), "no topology: the successor");
        assertNull(AntiEntropy.partner(ring, self, new RingTopology(), p -> !p.equals(self), 3), "everyone down");
    }
}
