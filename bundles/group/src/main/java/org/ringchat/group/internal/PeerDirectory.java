package org.ringchat.group.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.ringchat.api.GroupInfo;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;

/**
 * Where to reach the members of this node's groups, as their states list them; nobody else is known here
 * (anyone can connect with a key of its own, and remembering them all would let strangers fill memory).
 * Updated on the engine's loop, read from any thread.
 */
final class PeerDirectory {

    private volatile Map<PeerId, PeerAddress> addresses = Map.of();

    /** Lists the members of these groups, and only them. */
    void update(Collection<GroupInfo> groups) {
        Map<PeerId, PeerAddress> now = new HashMap<>();
        groups.forEach(g -> g.members().forEach(m -> now.put(m.peerId(), m.address())));
        addresses = Map.copyOf(now);
    }

    /** Where to reach a member of one of this node's groups; null for anyone else. */
    PeerAddress address(PeerId peer) {
        return addresses.get(peer);
    }

    /** Whether the peer is a member of one of this node's groups. */
    boolean knows(PeerId peer) {
        return addresses.containsKey(peer);
    }
}
