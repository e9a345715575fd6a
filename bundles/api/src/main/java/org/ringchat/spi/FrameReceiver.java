package org.ringchat.spi;

import org.osgi.annotation.versioning.ConsumerType;
import org.ringchat.api.PeerId;

/** Takes the frames a {@link Transport} receives. */
@ConsumerType
@FunctionalInterface
public interface FrameReceiver {

    /**
     * A frame arrived from an authenticated peer. Called on a network thread: do not block.
     *
     * @param from the peer, proven by its TLS certificate
     * @param type the frame type, {@link Transport#MIN_USER_TYPE} or above
     * @param body the frame body, at most the configured maximum frame size
     */
    void onFrame(PeerId from, int type, byte[] body);
}
