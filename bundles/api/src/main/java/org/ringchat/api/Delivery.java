package org.ringchat.api;

import java.util.Set;

/**
 * How far a message got, as this node knows it.
 *
 * @param status      the stage reached
 * @param reachedBy   the members known to hold it (empty while that is not known)
 * @param memberCount the number of members when the message was sent
 */
public record Delivery(Status status, Set<PeerId> reachedBy, int memberCount) {

    /** Stages of a message's delivery. */
    public enum Status {
        /** Sent by this node; no member has acknowledged it yet. */
        PENDING,
        /** Sent by this node; the next member acknowledged it, the round is under way. */
        ACKNOWLEDGED,
        /** It went round the whole group: {@code reachedBy} holds the members that have it. */
        CONFIRMED,
        /** Written by another member and received here; not yet known to have gone round. */
        RECEIVED
    }

    public Delivery {
        reachedBy = Set.copyOf(reachedBy);
    }

    /** Short human-readable form, e.g. {@code confirmed 5/5}. */
    public String describe() {
        return switch (status) {
            case PENDING -> "pending";
            case ACKNOWLEDGED -> "acknowledged, " + reachedBy.size() + "/" + memberCount;
            case CONFIRMED -> "confirmed " + reachedBy.size() + "/" + memberCount;
            case RECEIVED -> "received";
        };
    }
}
