package org.ringchat.spi;

import java.util.Objects;

import org.ringchat.api.PeerId;

/**
 * One step of a broadcast: give the message to {@code target}, which goes on with {@code route}.
 * What the route means is the topology's own (the end of a range of the ring, the tree edge the message
 * came through, ...); the engine only carries it in the frame and hands it back to the topology.
 */
public record HandOff(PeerId target, PeerId route) {

    public HandOff {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(route, "route");
    }
}
