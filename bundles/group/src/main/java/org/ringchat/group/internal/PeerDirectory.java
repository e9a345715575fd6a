package org.ringchat.group.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.ringchat.api.GroupInfo;
import org.ringchat.api.Member;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;

/**
 * Where to reach the members of this node's groups, as their states list them; nobody else is known here
 * (anyone can connect with a key of its own, and remembering them all would let strangers fill memory).
 * Updated on the engine's loop, read from any thread.
 */
final class PeerDirectory {

    private volatile Map<PeerId, PeerAddress> addresses = Map.of();
    /** Each group's members. */
    private volatile List<Set<PeerId>> memberships = List.of();

    /** Lists the members of these groups, and only them. */
    void update(Collection<GroupInfo> groups) {
        Map<PeerId, PeerAddress> now = new HashMap<>();
        groups.forEach(g -> g.members().forEach(m -> now.put(m.peerId(), m.address())));
        addresses = Map.copyOf(now);
        memberships = groups.stream().map(g -> g.members().stream().map(Member::peerId).collect(Collectors.toUnmodifiableSet()))
                .toList();
    }

    /** Whether both peers are members of one of this node's groups. */
    boolean shareGroup(PeerId a, PeerId b) {
        return memberships.stream().anyMatch(members -> members.contains(a) && members.contains(b));
    }

    /** The members of this node's groups, itself included. */
    Set<PeerId> peers() {
        return addresses.keySet();
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
