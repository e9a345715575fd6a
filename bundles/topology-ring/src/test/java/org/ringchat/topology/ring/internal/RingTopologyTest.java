package org.ringchat.topology.ring.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ringchat.api.PeerId;

class RingTopologyTest {

    private final RingTopology ring = new RingTopology();
    private final PeerId a = peer(1);
    private final PeerId b = peer(2);
    private final PeerId c = peer(3);
    private final PeerId d = peer(4);

    @Test
    void nextHopsGoRoundTheRingFromTheMemberAfterSelf() {
        List<PeerId> members = List.of(a, b, c, d);
        assertEquals(List.of(b, c, d), ring.nextHops(members, a));
        assertEquals(List.of(d, a, b), ring.nextHops(members, c));
        assertEquals(List.of(a, b, c), ring.nextHops(members, d));
    }

    @Test
    void aLonelyMemberHasNoNextHop() {
        assertEquals(List.of(), ring.nextHops(List.of(a), a));
    }

    @Test
    void aNonMemberIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ring.nextHops(List.of(a, b), c));
    }

    private static PeerId peer(int n) {
        return PeerId.fromPublicKey(new byte[] {(byte) n});
    }
}
