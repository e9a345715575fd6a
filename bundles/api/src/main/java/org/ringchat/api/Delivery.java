package org.ringchat.api;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * How far a message got, as this node knows it.
 *
 * @param status      the stage reached
 * @param reached     how many members are known to hold it, this node included (0 while that is not known)
 * @param memberCount the number of members when the message was sent
 * @param missing     members known not to have got it in the round, at most the first 64
 *                    (the number missing is {@code memberCount - reached})
 */
public record Delivery(Status status, int reached, int memberCount, Set<PeerId> missing) {

    /** Stages of a message's delivery. */
    public enum Status {
        /** Sent by this node; no member has acknowledged it yet. */
        PENDING,
        /** Sent by this node; a member acknowledged it, the broadcast is under way. */
        ACKNOWLEDGED,
        /** The whole group was tried: {@code reached} members have it, {@code missing} did not answer. */
        CONFIRMED,
        /** Written by another member and received here; not yet known to have gone round. */
        RECEIVED
    }

    public Delivery {
        missing = Set.copyOf(missing);
    }

    /** Short human-readable form, e.g. {@code confirmed 5/5} or {@code confirmed 4/5, missing k7zbgkso}. */
    public String describe() {
        return switch (status) {
            case PENDING -> "pending";
            case ACKNOWLEDGED -> "acknowledged, " + reached + "/" + memberCount;
            case CONFIRMED -> "confirmed " + reached + "/" + memberCount + describeMissing();
            case RECEIVED -> "received";
        };
    }

    private String describeMissing() {
        if (reached >= memberCount || missing.isEmpty()) {
            return "";
        }
        String listed = missing.stream().map(PeerId::shortText).sorted().collect(Collectors.joining(" "));
        int unlisted = memberCount - reached - missing.size();
        return ", missing " + listed + (unlisted > 0 ? " and " + unlisted + " more" : "");
    }
}
