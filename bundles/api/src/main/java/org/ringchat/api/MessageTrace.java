package org.ringchat.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The hops of one message that this node saw itself: who handed the message to it, whom it handed the
 * message on to, and which of those acknowledged. Together with the topology this shows the path a
 * message took through the group. Kept in memory for the recent messages only, not across restarts.
 *
 * @param group          the message's group
 * @param id             the message
 * @param receivedFrom   the members that handed it to this node, first one first (empty at its author;
 *                       more than one when a part was handed on again after a failure)
 * @param handedTo       the members this node handed it on to, in the order it did
 * @param acknowledgedBy those of {@code handedTo} that acknowledged it
 */
public record MessageTrace(GroupId group, MessageId id, List<PeerId> receivedFrom, List<PeerId> handedTo,
                           Set<PeerId> acknowledgedBy) {

    public MessageTrace {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(id, "id");
        receivedFrom = List.copyOf(receivedFrom);
        handedTo = List.copyOf(handedTo);
        acknowledgedBy = Set.copyOf(acknowledgedBy);
    }
}
