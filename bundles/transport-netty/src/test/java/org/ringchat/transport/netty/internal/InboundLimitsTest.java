package org.ringchat.transport.netty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.ringchat.api.PeerId;

class InboundLimitsTest {

    private static final InetAddress NAT = address(10);
    private static final InetAddress ELSEWHERE = address(20);

    private static InetAddress address(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static PeerId peer(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        return PeerId.fromBytes(key);
    }

    @Test
    void anAddressHoldsItsShareOfHandshakesAndGetsMoreAsTheyEnd() {
        InboundLimits limits = new InboundLimits(2, 10, 1);
        assertNull(limits.startHandshake(NAT));
        assertNull(limits.startHandshake(NAT));

        InboundLimits.Refusal third = limits.startHandshake(NAT);
        assertEquals("already 2 TLS handshakes in progress from 127.0.0.10 (max.handshakes.per.address)", third.reason());
        assertTrue(third.news());
        assertFalse(limits.startHandshake(NAT).news(), "one warning per flood");
        assertNull(limits.startHandshake(ELSEWHERE), "another address has a share of its own");

        limits.handshakeEnded(NAT);
        assertNull(limits.startHandshake(NAT));
    }

    @Test
    void everyAddressTogetherHoldsAtMostTheTotalOfHandshakes() {
        InboundLimits limits = new InboundLimits(2, 3, 1);
        limits.startHandshake(NAT);
        limits.startHandshake(NAT);
        limits.startHandshake(ELSEWHERE);

        InboundLimits.Refusal refusal = limits.startHandshake(ELSEWHERE);
        assertEquals("already 3 TLS handshakes in progress (max.handshakes)", refusal.reason());
        assertTrue(refusal.news());
        assertFalse(limits.startHandshake(address(30)).news(), "one warning while all slots are taken, whoever calls");

        limits.handshakeEnded(NAT);
        assertNull(limits.startHandshake(ELSEWHERE));
        assertTrue(limits.startHandshake(address(30)).news(), "a new flood is news again");
    }

    @Test
    void manyPeersBehindOneAddressGetInOnceTheirHandshakesAreDone() {
        InboundLimits limits = new InboundLimits(1, 1, 1);
        for (int i = 0; i < 100; i++) {
            assertNull(limits.startHandshake(NAT));
            limits.handshakeEnded(NAT);
            assertNull(limits.admitPeer(peer(i)), "peer " + i);
        }
    }

    @Test
    void aPeerHoldsAtMostItsShareOfConnectionsUntilOneCloses() {
        InboundLimits limits = new InboundLimits(1, 1, 2);
        assertNull(limits.admitPeer(peer(1)));
        assertNull(limits.admitPeer(peer(1)));

        InboundLimits.Refusal refusal = limits.admitPeer(peer(1));
        assertNotNull(refusal);
        assertEquals("already 2 connections from this peer (max.connections.per.peer)", refusal.reason());
        assertTrue(refusal.news());
        assertFalse(limits.admitPeer(peer(1)).news());
        assertNull(limits.admitPeer(peer(2)));

        limits.peerClosed(peer(1));
        assertNull(limits.admitPeer(peer(1)));
        limits.peerClosed(peer(1));
        limits.peerClosed(peer(1));
        assertNull(limits.admitPeer(peer(1)));
        assertNull(limits.admitPeer(peer(1)));
        assertTrue(limits.admitPeer(peer(1)).news(), "refused again after it had no connection left");
    }
}
