package org.ringchat.transport.netty.internal;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.ringchat.api.PeerId;

/**
 * Which connections others open to a node it takes. Before TLS proves who is calling, only the source address
 * is known, so handshakes in progress are bounded per address and in total; after it, connections are counted
 * per proven peer. Many members behind one address (a NAT, a test on loopback) thus all get in, while a flood
 * from one address holds a few handshake slots, and a peer that opens connection after connection holds a few
 * connections. Thread-safe.
 */
final class InboundLimits {

    /**
     * Why a connection was refused; {@code news} is false while the same address or peer keeps being refused,
     * so that a flood costs one warning line.
     */
    record Refusal(String reason, boolean news) {
    }

    private int handshakesPerAddress;
    private int handshakes;
    private int connectionsPerPeer;

    /** Stands for everyone in {@link #refused} while all handshake slots are taken. */
    private static final Object EVERYONE = new Object();

    private final Map<InetAddress, Integer> handshakesByAddress = new HashMap<>();
    private int handshakesInProgress;
    private final Map<PeerId, Integer> connectionsByPeer = new HashMap<>();
    /** Addresses and peers refused since they last had nothing counted, already warned about. */
    private final Set<Object> refused = new HashSet<>();

    InboundLimits(int handshakesPerAddress, int handshakes, int connectionsPerPeer) {
        setLimits(handshakesPerAddress, handshakes, connectionsPerPeer);
    }

    /** Takes new limits: what is counted stays counted; what comes next is judged by them. */
    synchronized void setLimits(int handshakesPerAddress, int handshakes, int connectionsPerPeer) {
        this.handshakesPerAddress = handshakesPerAddress;
        this.handshakes = handshakes;
        this.connectionsPerPeer = connectionsPerPeer;
    }

    /** Counts a handshake from {@code address} until {@link #handshakeEnded}, or says why not. */
    synchronized Refusal startHandshake(InetAddress address) {
        int fromAddress = handshakesByAddress.getOrDefault(address, 0);
        if (fromAddress >= handshakesPerAddress) {
            return refuse(address, "already " + handshakesPerAddress + " TLS handshakes in progress from "
                    + address.getHostAddress() + " (max.handshakes.per.address)");
        }
        if (handshakesInProgress >= handshakes) {
            return refuse(EVERYONE, "already " + handshakes + " TLS handshakes in progress (max.handshakes)");
        }
        handshakesByAddress.put(address, fromAddress + 1);
        handshakesInProgress++;
        return null;
    }

    synchronized void handshakeEnded(InetAddress address) {
        if (--handshakesInProgress < handshakes) {
            refused.remove(EVERYONE);
        }
        release(handshakesByAddress, address);
    }

    /** Counts a connection from a peer that proved its key until {@link #peerClosed}, or says why not. */
    synchronized Refusal admitPeer(PeerId peer) {
        int open = connectionsByPeer.getOrDefault(peer, 0);
        if (open >= connectionsPerPeer) {
            return refuse(peer, "already " + connectionsPerPeer + " connections from this peer (max.connections.per.peer)");
        }
        connectionsByPeer.put(peer, open + 1);
        return null;
    }

    synchronized void peerClosed(PeerId peer) {
        release(connectionsByPeer, peer);
    }

    private Refusal refuse(Object source, String reason) {
        return new Refusal(reason, refused.add(source));
    }

    private <K> void release(Map<K, Integer> counts, K key) {
        if (counts.merge(key, -1, Integer::sum) == 0) {
            counts.remove(key);
            refused.remove(key);
        }
    }
}
