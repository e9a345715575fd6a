package org.ringchat.group.internal;

import org.ringchat.api.PeerId;

/** Frames to peers named by their ID: the transport in a node, an in-memory network in the simulator. */
@FunctionalInterface
public interface Link {

    /**
     * Sends one frame. {@code onFailure} runs on the protocol thread when the frame could not be
     * written (peer unknown, unreachable); a frame that was written may still be lost.
     */
    void send(PeerId to, int type, byte[] body, Runnable onFailure);
}
