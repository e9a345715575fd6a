package org.ringchat.api;

import java.util.Objects;

/**
 * A member of a group.
 *
 * @param address where the member can be reached; its peer ID is the member's identity
 * @param owner   whether the member may change the group (invite, and later remove or rename)
 */
public record Member(PeerAddress address, boolean owner) {

    public Member {
        Objects.requireNonNull(address, "address");
    }

    public PeerId peerId() {
        return address.peerId();
    }
}
