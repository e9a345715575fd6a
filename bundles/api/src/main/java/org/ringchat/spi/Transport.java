package org.ringchat.spi;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.Reachability;

/**
 * Authenticated, framed connections to peers. A frame is delivered to a peer only over a connection
 * on which the peer proved the key behind its {@link org.ringchat.api.PeerId}.
 */
@ProviderType
public interface Transport {

    /** Frame types below this are the transport's own. */
    int MIN_USER_TYPE = 0x10;

    /** Largest frame type. */
    int MAX_TYPE = 0xff;

    /** The address this node advertises to others. */
    PeerAddress localAddress();

    /** The largest frame body this transport sends or accepts. */
    int maxFrameSize();

    /**
     * Sends one frame, reusing a connection to the peer or opening one.
     * Completes when the frame was written to the connection; fails when the peer cannot be reached,
     * does not prove the expected key, or the body is larger than {@link #maxFrameSize()}. The body is
     * copied: the caller may change the array once this returns.
     */
    CompletionStage<Void> send(PeerAddress to, int type, byte[] body);

    /**
     * Sends one frame as {@link #send} does, and takes the body over: the caller must not change the array
     * afterwards, so the transport need not copy it (a frame's body is copied at every send otherwise).
     * By default it is sent with {@link #send}.
     *
     * @since package version 2.3.0
     */
    default CompletionStage<Void> sendOwned(PeerAddress to, int type, byte[] body) {
        return send(to, type, body);
    }

    /** Sets the receiver of incoming frames; frames arriving while none is set are dropped. */
    void setReceiver(FrameReceiver receiver);

    /**
     * Whether peers can dial this node, as a connected peer found by dialling back its advertised address,
     * and the relays that took a reservation for it; a transport that does not check says it does not know.
     *
     * @since 2.2
     */
    default Reachability reachability() {
        return Reachability.unknown("this transport does not check whether others can dial it");
    }

    /**
     * Sets who may use this node's relaying and dial-backs, and how to reach peers that cannot be dialled;
     * until one is set, this node relays for nobody and dials every peer directly.
     *
     * @since 2.2
     */
    default void setRelaying(Relaying relaying) {
    }

    /**
     * The reachable members to keep connections to and reserve relaying at, best first, while this node
     * cannot be dialled; the transport reserves at the first few that accept. Ignored while it can be.
     *
     * @since 2.2
     */
    default void useRelays(List<PeerAddress> candidates) {
    }
}
