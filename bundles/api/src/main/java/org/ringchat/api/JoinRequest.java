package org.ringchat.api;

import java.time.Instant;
import java.util.Objects;

/**
 * A peer's request to join a group, waiting for an owner's decision.
 *
 * @param group      the group it wants to join
 * @param groupName  the group's name when the request arrived
 * @param requester  the peer and where to reach it, for the invitation
 * @param via        the member that passed the request on (the requester itself when it asked an owner)
 * @param receivedAt when this node got the request
 */
public record JoinRequest(GroupId group, String groupName, PeerAddress requester, PeerId via, Instant receivedAt) {

    public JoinRequest {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(groupName, "groupName");
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(via, "via");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
