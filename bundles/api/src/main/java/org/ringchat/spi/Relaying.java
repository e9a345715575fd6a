package org.ringchat.spi;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.Reachability;

/**
 * What a {@link Transport} asks the layer above about relaying: whom it serves, and where peers that
 * cannot be dialled are reached. Called on network threads: answer from memory, do not block.
 *
 * @since 2.2
 */
@ConsumerType
public interface Relaying {

    /** Relays for nobody, dials everyone directly. */
    Relaying NONE = new Relaying() {
        @Override
        public boolean shareGroup(PeerId a, PeerId b) {
            return false;
        }

        @Override
        public List<PeerAddress> relaysOf(PeerId peer) {
            return List.of();
        }
    };

    /**
     * Whether {@code a} and {@code b} are both members of one of this node's groups ({@code a} alone when
     * they are the same peer): this node dials back, takes reservations and relays only for them.
     */
    boolean shareGroup(PeerId a, PeerId b);

    /** Where to ask for a circuit to a peer that published that it cannot be dialled; empty to dial it directly. */
    List<PeerAddress> relaysOf(PeerId peer);

    /** Whether this node can be dialled, or its relays, changed: time to tell the others. */
    default void reachabilityChanged(Reachability now) {
    }
}
