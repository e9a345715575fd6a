package org.ringchat.group.internal;

/**
 * How long a member waits for a target's acknowledgement of a message: twice the target's probe timeout
 * (its round trip, stretched by local health — {@link FailureDetector#probeTimeoutMillis}), since the target
 * acknowledges only once the message is stored durably, which may take as long again; within bounds.
 *
 * @param minMillis the least, whatever the link: what storing may take on a fast one
 * @param maxMillis the most, however slow the link looks
 */
public record AckTimeouts(long minMillis, long maxMillis) {

    /** The same timeout on every link. */
    public static AckTimeouts fixed(long millis) {
        return new AckTimeouts(millis, millis);
    }

    public long forProbeTimeout(long probeTimeoutMillis) {
        return Math.max(minMillis, Math.min(maxMillis, 2 * probeTimeoutMillis));
    }
}
