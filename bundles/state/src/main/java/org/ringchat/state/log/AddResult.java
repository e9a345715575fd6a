package org.ringchat.state.log;

import java.util.List;
import java.util.Objects;

/**
 * What {@link StateLog#add(StateOp)} did with an op.
 *
 * @param status   what became of the op given
 * @param reason   one line saying why, for {@link Status#REJECTED} and {@link Status#MISSING_PARENTS}; empty otherwise
 * @param accepted the ops that entered the log during the call, in order: the op given (if accepted) and the
 *                 held ops it released; these are the ones to store and pass on
 * @param rejected held ops given up during the call: released but not valid, or children of a rejected op
 */
public record AddResult(Status status, String reason, List<StateOp> accepted, List<Rejection> rejected) {

    public enum Status {
        /** Valid and now in the log. */
        ACCEPTED,
        /** Already in the log. */
        DUPLICATE,
        /** Held until its missing parents arrive ({@link StateLog#missingParents()}). */
        MISSING_PARENTS,
        /** Not valid; see the reason. Not kept. */
        REJECTED
    }

    /** A held op given up, and why. */
    public record Rejection(StateOp op, String reason) {
    }

    public AddResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
    }
}
