package org.ringchat.transport.netty.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * What this node gives as a relay, and how many relays it keeps while it cannot be dialled. A circuit that
 * reaches a limit is closed; its ends open a new one when they next have something to send.
 *
 * @param maxReservations    how many peers may hold a reservation at this node at once
 * @param maxCircuits        how many circuits this node relays at once
 * @param maxCircuitsPerPeer how many of them may start or end at one peer
 * @param maxCircuitBytes    how many bytes one circuit carries, both directions together
 * @param maxCircuitDuration how long one circuit stays open
 * @param relaysKept         how many relays a node that cannot be dialled reserves at
 */
public record RelaySettings(int maxReservations, int maxCircuits, int maxCircuitsPerPeer, long maxCircuitBytes,
                            Duration maxCircuitDuration, int relaysKept) {

    public static final int DEFAULT_MAX_RESERVATIONS = 64;
    public static final int DEFAULT_MAX_CIRCUITS = 256;
    public static final int DEFAULT_MAX_CIRCUITS_PER_PEER = 16;
    /** A chat's circuit carries little: 64 MiB is thousands of messages; the ends then open another. */
    public static final long DEFAULT_MAX_CIRCUIT_BYTES = 64L * 1024 * 1024;
    public static final long DEFAULT_MAX_CIRCUIT_SECONDS = 3600;
    public static final int DEFAULT_RELAYS_KEPT = 3;

    public static RelaySettings defaults() {
        return new RelaySettings(DEFAULT_MAX_RESERVATIONS, DEFAULT_MAX_CIRCUITS, DEFAULT_MAX_CIRCUITS_PER_PEER,
                DEFAULT_MAX_CIRCUIT_BYTES, Duration.ofSeconds(DEFAULT_MAX_CIRCUIT_SECONDS), DEFAULT_RELAYS_KEPT);
    }

    public RelaySettings {
        Objects.requireNonNull(maxCircuitDuration, "maxCircuitDuration");
        if (maxReservations < 0 || maxCircuits < 0 || maxCircuitsPerPeer < 0 || maxCircuitBytes < 0) {
            throw new IllegalArgumentException("relay limits cannot be negative (0 relays for nobody)");
        }
        if (maxCircuitDuration.isNegative() || maxCircuitDuration.isZero()) {
            throw new IllegalArgumentException("the longest circuit must be positive, not " + maxCircuitDuration);
        }
        if (relaysKept < 1) {
            throw new IllegalArgumentException("a node that cannot be dialled keeps at least 1 relay, not " + relaysKept);
        }
    }
}
