package org.ringchat.transport.netty.internal;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.channel.Channel;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.Reachability;

/**
 * The relays of a node that cannot be dialled: it reserves at the first few candidates the layer above
 * names (RESERVE), keeps their connections open by reserving again before they would idle out, and moves on
 * to the next candidate when one refuses or goes away. Thread-safe.
 */
final class RelayReservations {

    private final NettyTransport transport;
    private List<PeerAddress> candidates = List.of();
    /** The relays that accepted, with the connection the reservation lives on. */
    private final Map<PeerId, Channel> reserved = new LinkedHashMap<>();
    private final Map<PeerId, Long> refusedAtNanos = new HashMap<>();

    RelayReservations(NettyTransport transport) {
        this.transport = transport;
    }

    void use(List<PeerAddress> relayCandidates) {
        synchronized (this) {
            candidates = List.copyOf(relayCandidates);
        }
        refresh();
    }

    synchronized List<PeerId> relays() {
        return List.copyOf(reserved.keySet());
    }

    /** Reserves at the relays this node should have, again at those it has; drops the rest. */
    void refresh() {
        List<PeerAddress> chosen;
        boolean dropped;
        synchronized (this) {
            if (transport.dialBackStatus() != Reachability.Status.NOT_DIALABLE) {
                chosen = List.of();
            } else {
                long now = System.nanoTime();
                refusedAtNanos.values().removeIf(at -> now - at > DialBack.RECHECK.toNanos());
                chosen = candidates.stream().filter(c -> !refusedAtNanos.containsKey(c.peerId()))
                        .limit(transport.relaySettings().relaysKept()).toList();
            }
            List<PeerId> kept = chosen.stream().map(PeerAddress::peerId).toList();
            dropped = reserved.keySet().retainAll(kept);
        }
        for (PeerAddress relay : chosen) {
            transport.sendControl(relay, new Frame(RelayFrames.RESERVE, new byte[0])).whenComplete((ok, failure) -> {
                if (failure != null) {
                    NettyTransport.LOG.log(DEBUG, "cannot reserve at relay " + relay + ": " + failure.getMessage());
                }
            });
        }
        if (dropped) {
            transport.reachabilityChanged();
        }
    }

    void onReserved(PeerId from, Channel channel, RelayFrames.Reserved answer) {
        boolean changed;
        synchronized (this) {
            if (candidates.stream().noneMatch(c -> c.peerId().equals(from))) {
                return;
            }
            if (answer.accepted()) {
                changed = reserved.put(from, channel) == null;
            } else {
                refusedAtNanos.put(from, System.nanoTime());
                changed = reserved.remove(from) != null;
            }
        }
        if (!answer.accepted()) {
            NettyTransport.LOG.log(INFO, "relay " + from + " refused a reservation: " + answer.reason());
            refresh();
        } else if (changed) {
            NettyTransport.LOG.log(INFO, "reserved at relay " + from);
        }
        if (changed) {
            transport.reachabilityChanged();
        }
    }

    void connectionClosed(PeerId peer, Channel channel) {
        boolean lost;
        synchronized (this) {
            lost = reserved.remove(peer, channel);
        }
        if (lost) {
            transport.reachabilityChanged();
            refresh();
        }
    }
}
