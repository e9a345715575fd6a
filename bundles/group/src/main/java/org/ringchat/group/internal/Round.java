package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.group.internal.Dissemination.Missing;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;

/**
 * A member's part of one broadcast ({@link Dissemination}): the hand-offs it made and what they reported, kept
 * with the message once done, with its result, for a part handed to it again.
 */
final class Round {

    /** Who handed this node a part, by which CHAT: whom to tell when the part is done. */
    record Waiter(PeerId peer, long epoch, long seq) {
    }

    /** How a part of a message is routed: by which topology, on which route. */
    record Route(String topology, PeerId route) {
    }

    /**
     * The routes of the parts a node covers: one object per member under the current topology, which every part
     * on it keeps. A cache, emptied if it fills.
     */
    static final class Routes {
        /** The members of a node's groups, and then some. */
        private static final int MAX_ROUTES = 4096;

        private final Map<PeerId, Route> byMember = new HashMap<>();

        Route of(Topology current, PeerId member) {
            Route known = byMember.get(member);
            if (known == null || !known.topology().equals(current.name())) {
                if (byMember.size() == MAX_ROUTES) {
                    byMember.clear();
                }
                known = new Route(current.name(), member);
                byMember.put(member, known);
            }
            return known;
        }
    }

    final MessageId id;
    final RememberedMessage message;
    final Route route;
    final Ring ring;
    final Topology topology;
    /** The message; dropped once the part is done, when only its result is kept. */
    byte[] frameTail;
    /** Who handed this part to this node; null at the author. */
    final Waiter parent;
    /**
     * Others that handed this node the same part meanwhile (the parent's part timed out and went on
     * again): they hear that it is done when it really is, never before.
     */
    private List<Waiter> alsoWaiting = List.of();
    /** Whom the part missed, once it is done; null while it is under way. */
    Missing result;
    int open;
    int launched;
    boolean taken;
    int missingTotal;
    /** The first members missed, at most {@link Missing#MAX_LISTED}: none for most parts, so no list until one. */
    private List<PeerId> missingListed = List.of();

    Round(MessageId id, RememberedMessage message, Route route, Ring ring, Topology topology, byte[] payload,
          Waiter parent) {
        this.id = id;
        this.message = message;
        this.route = route;
        this.ring = ring;
        this.topology = topology;
        this.frameTail = payload;
        this.parent = parent;
    }

    void miss(PeerId peer) {
        missingTotal++;
        list(peer);
    }

    void miss(Missing missing) {
        missingTotal += missing.total();
        missing.listed().forEach(this::list);
    }

    private void list(PeerId peer) {
        if (missingListed.isEmpty()) {
            missingListed = new ArrayList<>(2);
        }
        if (missingListed.size() < Missing.MAX_LISTED) {
            missingListed.add(peer);
        }
    }

    Missing missing() {
        return missingTotal == 0 ? Missing.NONE : new Missing(missingTotal, missingListed);
    }

    /** {@code peer} holds the message after all; whether this part had counted it missing. */
    boolean unmiss(PeerId peer) {
        if (missingListed.isEmpty() || !missingListed.remove(peer)) {
            return false; // an empty list may be the shared immutable one
        }
        missingTotal--;
        return true;
    }

    /** A CHAT's body up to the message, which follows it ({@link #frameTail}), on the link of {@code epoch}. */
    byte[] frameHead(long epoch, PeerId route, long seq) {
        BroadcastFrames.Header header = new BroadcastFrames.Header(message.group, id, topology.name(), route);
        return BroadcastFrames.Chat.encodeHead(epoch, seq, header);
    }

    /** The others that wait for this part, to be told it is done: each is told once, so they are let go. */
    List<Waiter> takeAlsoWaiting() {
        List<Waiter> waiting = alsoWaiting;
        alsoWaiting = List.of();
        return waiting;
    }

    void waitedForBy(Waiter waiter) {
        if (!waiter.equals(parent) && !alsoWaiting.contains(waiter)) {
            if (alsoWaiting.isEmpty()) {
                alsoWaiting = new ArrayList<>(2);
            }
            alsoWaiting.add(waiter);
        }
    }
}
