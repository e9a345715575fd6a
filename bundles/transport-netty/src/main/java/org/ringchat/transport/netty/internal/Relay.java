package org.ringchat.transport.netty.internal;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.netty.channel.Channel;
import org.ringchat.api.PeerId;

/**
 * This node as a relay: it takes reservations from members that cannot be dialled, and splices a circuit
 * between two members of one of its groups onto the connections they keep to it, passing the bytes of their
 * end-to-end TLS as they are. Every limit of {@link RelaySettings} closes a circuit, or refuses it, with its
 * reason. Thread-safe.
 */
final class Relay {

    /** One side of a circuit: the member, the connection to it, and the circuit's number on that connection. */
    private record Leg(PeerId peer, Channel channel, int circuit) {
        Key key() {
            return new Key(peer, circuit);
        }

        void send(Frame frame) {
            channel.writeAndFlush(frame);
        }
    }

    private record Key(PeerId peer, int circuit) {
    }

    private static final class Circuit {
        final Leg source;
        final Leg target;
        final long startedNanos = System.nanoTime();
        boolean accepted;
        long bytes;

        Circuit(Leg source, Leg target) {
            this.source = source;
            this.target = target;
        }

        Leg other(PeerId peer) {
            return source.peer().equals(peer) ? target : source;
        }

        boolean touches(PeerId peer) {
            return source.peer().equals(peer) || target.peer().equals(peer);
        }
    }

    private final NettyTransport transport;
    private final Map<PeerId, Channel> reservations = new HashMap<>();
    /** Each circuit under both of its legs' keys. */
    private final Map<Key, Circuit> circuits = new HashMap<>();

    Relay(NettyTransport transport) {
        this.transport = transport;
    }

    synchronized boolean owns(PeerId from, int circuit) {
        return circuits.containsKey(new Key(from, circuit));
    }

    void onReserve(PeerId from, Channel channel) {
        String refusal;
        synchronized (this) {
            refusal = reservationRefusal(from);
            if (refusal == null) {
                reservations.put(from, channel);
            }
        }
        if (refusal != null) {
            NettyTransport.LOG.log(DEBUG, "refused a reservation by " + from + ": " + refusal);
        }
        channel.writeAndFlush(new RelayFrames.Reserved(refusal == null, refusal == null ? "" : refusal).frame());
    }

    private String reservationRefusal(PeerId from) {
        if (!transport.relaying().shareGroup(from, from)) {
            return "not a member of a group of this relay";
        }
        int limit = transport.relaySettings().maxReservations();
        if (!reservations.containsKey(from) && reservations.size() >= limit) {
            return "already " + limit + " reservations (relay.max.reservations)";
        }
        return null;
    }

    void onOpen(PeerId from, Channel channel, RelayFrames.CircuitPeer open) {
        Leg source = new Leg(from, channel, open.circuit());
        Leg target;
        String refusal;
        synchronized (this) {
            refusal = openingRefusal(source, open.peer());
            if (refusal != null) {
                target = null;
            } else {
                target = new Leg(open.peer(), reservations.get(open.peer()), transport.newCircuitId(open.peer()));
                Circuit circuit = new Circuit(source, target);
                circuits.put(source.key(), circuit);
                circuits.put(target.key(), circuit);
            }
        }
        if (refusal != null) {
            NettyTransport.LOG.log(INFO, "refused a circuit from " + from + " to " + open.peer() + ": " + refusal);
            source.send(close(open.circuit(), refusal));
            return;
        }
        target.send(new RelayFrames.CircuitPeer(RelayFrames.CIRCUIT_INCOMING, target.circuit(), from).frame());
    }

    private String openingRefusal(Leg source, PeerId target) {
        RelaySettings limits = transport.relaySettings();
        if (circuits.containsKey(source.key())) {
            return "circuit " + source.circuit() + " is already open";
        }
        if (target.equals(source.peer()) || target.equals(transport.self())) {
            return "a circuit leads to another peer than the relay and the asker";
        }
        if (!transport.relaying().shareGroup(source.peer(), target)) {
            return "the two are not members of one group of this relay";
        }
        Channel reserved = reservations.get(target);
        if (reserved == null || !reserved.isActive()) {
            return target.shortText() + " has no reservation at this relay";
        }
        if (circuits.size() / 2 >= limits.maxCircuits()) {
            return "already " + limits.maxCircuits() + " circuits (relay.max.circuits)";
        }
        for (PeerId end : List.of(source.peer(), target)) {
            long open = circuits.values().stream().filter(c -> c.touches(end)).count() / 2;
            if (open >= limits.maxCircuitsPerPeer()) {
                return "already " + limits.maxCircuitsPerPeer() + " circuits of " + end.shortText()
                        + " (relay.max.circuits.per.peer)";
            }
        }
        return null;
    }

    void onAccept(PeerId from, RelayFrames.CircuitSignal accept) {
        Leg source;
        synchronized (this) {
            Circuit circuit = circuits.get(new Key(from, accept.circuit()));
            if (circuit == null || circuit.accepted || !circuit.target.peer().equals(from)) {
                return;
            }
            circuit.accepted = true;
            source = circuit.source;
        }
        source.send(new RelayFrames.CircuitSignal(RelayFrames.CIRCUIT_ACCEPT, source.circuit(), "").frame());
    }

    void onClose(PeerId from, RelayFrames.CircuitSignal close) {
        Circuit circuit = remove(new Key(from, close.circuit()));
        if (circuit != null) {
            Leg other = circuit.other(from);
            other.send(close(other.circuit(), from.shortText() + " closed it: " + close.reason()));
        }
    }

    void onData(PeerId from, RelayFrames.CircuitData data) {
        Leg other;
        String limitReached;
        synchronized (this) {
            Circuit circuit = circuits.get(new Key(from, data.circuit()));
            if (circuit == null) {
                return;
            }
            other = circuit.other(from);
            circuit.bytes += data.bytes().length;
            limitReached = limitReached(circuit, other);
            if (limitReached != null) {
                circuits.remove(circuit.source.key());
                circuits.remove(circuit.target.key());
                NettyTransport.LOG.log(INFO, "closed the circuit from " + circuit.source.peer() + " to "
                        + circuit.target.peer() + ": " + limitReached);
                circuit.source.send(close(circuit.source.circuit(), limitReached));
                circuit.target.send(close(circuit.target.circuit(), limitReached));
                return;
            }
        }
        other.send(new RelayFrames.CircuitData(other.circuit(), data.bytes()).frame());
    }

    private String limitReached(Circuit circuit, Leg next) {
        RelaySettings limits = transport.relaySettings();
        if (!circuit.accepted) {
            return "data before the circuit was accepted";
        }
        if (circuit.bytes > limits.maxCircuitBytes()) {
            return "it carried over " + limits.maxCircuitBytes() + " bytes (relay.max.circuit.bytes)";
        }
        if (System.nanoTime() - circuit.startedNanos > limits.maxCircuitDuration().toNanos()) {
            return "it was open for " + limits.maxCircuitDuration().toSeconds() + " s (relay.max.circuit.seconds)";
        }
        if (!next.channel().isWritable()) {
            return next.peer().shortText() + " does not read fast enough";
        }
        return null;
    }

    /** A connection closed: its reservation ends, and the circuits over it close at their other ends. */
    void connectionClosed(PeerId peer, Channel channel) {
        List<Leg> others = new ArrayList<>();
        synchronized (this) {
            reservations.remove(peer, channel);
            for (Circuit circuit : List.copyOf(circuits.values())) {
                Leg leg = circuit.source.peer().equals(peer) ? circuit.source : circuit.target;
                if (leg.peer().equals(peer) && leg.channel() == channel && remove(leg.key()) != null) {
                    others.add(circuit.other(peer));
                }
            }
        }
        others.forEach(other -> other.send(close(other.circuit(), peer.shortText() + " disconnected from the relay")));
    }

    private synchronized Circuit remove(Key key) {
        Circuit circuit = circuits.remove(key);
        if (circuit != null) {
            circuits.remove(circuit.source.key());
            circuits.remove(circuit.target.key());
        }
        return circuit;
    }

    private static Frame close(int circuit, String reason) {
        return new RelayFrames.CircuitSignal(RelayFrames.CIRCUIT_CLOSE, circuit, reason).frame();
    }
}
