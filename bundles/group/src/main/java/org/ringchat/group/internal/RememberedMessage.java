package org.ringchat.group.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.MessageTrace;
import org.ringchat.api.PeerId;

/**
 * What a member remembers of one recent message ({@link Dissemination}): its parts here, its confirmation, its
 * hops. Each member keeps thousands of these, which outlive a young collection: they hold arrays grown by one
 * rather than lists, and the group's and peers' own ID objects rather than those read from frames.
 */
final class RememberedMessage {

    /** Hops of a message remembered for {@link #trace}, of each kind. */
    private static final int TRACED_HOPS = 64;
    private static final Round[] NO_PARTS = new Round[0];
    private static final PeerId[] NO_PEERS = new PeerId[0];

    final GroupId group;
    /** The parts this node covers or covered, each with its route: one for most messages. */
    Round[] parts = NO_PARTS;
    /** The fewest members a CONFIRM of it said were missing (a later one that says fewer corrects it); -1 before any. */
    int fewestMissing = -1;
    /** The hops as this node saw them, for {@link #trace}: most messages have one or two of each. */
    private PeerId[] receivedFrom = NO_PEERS;
    private PeerId[] handedTo = NO_PEERS;
    private PeerId[] acknowledgedBy = NO_PEERS;

    RememberedMessage(GroupId group) {
        this.group = group;
    }

    Round part(Round.Route route) {
        for (Round part : parts) {
            if (part.route.equals(route)) {
                return part;
            }
        }
        return null;
    }

    void add(Round part) {
        parts = Arrays.copyOf(parts, parts.length + 1);
        parts[parts.length - 1] = part;
    }

    /** Notes a confirmation that says {@code missing} members were missing; whether it is news: the first, or fewer. */
    boolean confirmed(int missing) {
        if (fewestMissing >= 0 && missing >= fewestMissing) {
            return false;
        }
        fewestMissing = missing;
        return true;
    }

    void receivedFrom(PeerId peer) {
        receivedFrom = hop(receivedFrom, peer);
    }

    void handedTo(PeerId peer) {
        handedTo = hop(handedTo, peer);
    }

    void acknowledgedBy(PeerId peer) {
        for (PeerId known : acknowledgedBy) {
            if (known.equals(peer)) {
                return;
            }
        }
        acknowledgedBy = hop(acknowledgedBy, peer);
    }

    MessageTrace trace(MessageId id) {
        return new MessageTrace(group, id, List.of(receivedFrom), List.of(handedTo), Set.of(acknowledgedBy));
    }

    private static PeerId[] hop(PeerId[] hops, PeerId peer) {
        if (hops.length == TRACED_HOPS) {
            return hops;
        }
        PeerId[] noted = Arrays.copyOf(hops, hops.length + 1);
        noted[hops.length] = peer;
        return noted;
    }
}
