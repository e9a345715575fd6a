package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.MessageTrace;
import org.ringchat.api.PeerId;

/**
 * What a member remembers of one recent message ({@link Dissemination}): its parts here, its confirmation, its
 * hops. Each member keeps thousands of these, which outlive a young collection: they hold the one part most
 * messages have in a field and their hops in one array grown by one, rather than lists, and the group's and
 * peers' own ID objects rather than those read from frames.
 */
final class RememberedMessage {

    /** Hops of a message remembered for {@link #trace}, of all kinds: two bits each say the kind, in one long. */
    private static final int TRACED_HOPS = 32;
    private static final int RECEIVED_FROM = 0;
    private static final int HANDED_TO = 1;
    private static final int ACKNOWLEDGED_BY = 2;
    private static final Round[] NO_PARTS = new Round[0];
    private static final PeerId[] NO_PEERS = new PeerId[0];

    final GroupId group;
    /** The part this node covers or covered, with its route; null before it covers one. */
    private Round part;
    /** Parts for other routes (a part handed on again after a failure): none for most messages. */
    private Round[] moreParts = NO_PARTS;
    /** The fewest members a CONFIRM of it said were missing (a later one that says fewer corrects it); -1 before any. */
    int fewestMissing = -1;
    /**
     * The hops as this node saw them, in order, for {@link #trace}: most messages have three or four in all,
     * so one array for all kinds, and {@link #hopKinds} says which is which.
     */
    private PeerId[] hops = NO_PEERS;
    private long hopKinds;

    RememberedMessage(GroupId group) {
        this.group = group;
    }

    Round part(Round.Route route) {
        if (part != null && part.route.equals(route)) {
            return part;
        }
        for (Round other : moreParts) {
            if (other.route.equals(route)) {
                return other;
            }
        }
        return null;
    }

    void add(Round round) {
        if (part == null) {
            part = round;
        } else {
            moreParts = Arrays.copyOf(moreParts, moreParts.length + 1);
            moreParts[moreParts.length - 1] = round;
        }
    }

    /** The parts under way or done here, in the order they came. */
    List<Round> parts() {
        if (part == null) {
            return List.of();
        }
        List<Round> all = new ArrayList<>(1 + moreParts.length);
        all.add(part);
        all.addAll(Arrays.asList(moreParts));
        return all;
    }

    /** Notes a confirmation that says {@code missing} members were missing; whether it is news: the first, or fewer. */
    boolean confirmed(int missing) {
        if (Dissemination.Confirmation.of(fewestMissing, missing) == Dissemination.Confirmation.KNOWN) {
            return false;
        }
        fewestMissing = missing;
        return true;
    }

    void receivedFrom(PeerId peer) {
        hop(RECEIVED_FROM, peer);
    }

    void handedTo(PeerId peer) {
        hop(HANDED_TO, peer);
    }

    void acknowledgedBy(PeerId peer) {
        if (!hops(ACKNOWLEDGED_BY).contains(peer)) {
            hop(ACKNOWLEDGED_BY, peer);
        }
    }

    MessageTrace trace(MessageId id) {
        return new MessageTrace(group, id, hops(RECEIVED_FROM), hops(HANDED_TO), Set.copyOf(hops(ACKNOWLEDGED_BY)));
    }

    private void hop(int kind, PeerId peer) {
        if (hops.length == TRACED_HOPS) {
            return;
        }
        hopKinds |= (long) kind << (2 * hops.length);
        hops = Arrays.copyOf(hops, hops.length + 1);
        hops[hops.length - 1] = peer;
    }

    private List<PeerId> hops(int kind) {
        List<PeerId> ofKind = new ArrayList<>(hops.length);
        for (int i = 0; i < hops.length; i++) {
            if ((hopKinds >>> (2 * i) & 3) == kind) {
                ofKind.add(hops[i]);
            }
        }
        return ofKind;
    }
}
