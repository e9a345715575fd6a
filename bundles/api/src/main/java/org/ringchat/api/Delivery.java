package org.ringchat.api;

import java.util.Set;

/**
 * How far a message got, as this node knows it.
 *
 * @param status      the stage reached
 * @param reachedBy   for a message this node sent: the members known to hold it
 * @param memberCount the number of members when the message was sent
 */
public record Delivery(Status status, Set<PeerId> reachedBy, int memberCount) {

    /** Stages of a message's delivery. */
    public enum Status {
        /** Sent by this node; no member has acknowledged it yet. */
        PENDING,
        /** Sent by this node; the next member acknowledged it, the round is under way. */
        ACKNOWLEDGED,
        /** Sent by this node; it came back around the group. */
        CONFIRMED,
        /** Written by another member and received here. */
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
