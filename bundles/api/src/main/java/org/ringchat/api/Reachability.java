package org.ringchat.api;

import java.util.List;
import java.util.Objects;

/**
 * Whether other peers can open connections to this node at its advertised address, as a member it is
 * connected to found by dialling back; and, when they cannot, the members that relay to it.
 *
 * @param status what the last dial-back found
 * @param relays the members that relay connections to this node, while it cannot be dialled; else empty
 * @param detail one line for the user: who dialled back and what failed, or why nobody has yet
 * @since 2.3
 */
public record Reachability(Status status, List<PeerId> relays, String detail) {

    /** What a dial-back found. */
    public enum Status {
        /** No member has dialled back yet (a node that is in no group has nobody to ask). */
        UNKNOWN,
        /** A member opened a connection to the advertised address. */
        DIALABLE,
        /** A member could not open a connection to the advertised address: others reach this node through relays. */
        NOT_DIALABLE
    }

    public Reachability {
        Objects.requireNonNull(status, "status");
        relays = List.copyOf(relays);
        Objects.requireNonNull(detail, "detail");
    }

    /** Before any dial-back. */
    public static Reachability unknown(String detail) {
        return new Reachability(Status.UNKNOWN, List.of(), detail);
    }
}
