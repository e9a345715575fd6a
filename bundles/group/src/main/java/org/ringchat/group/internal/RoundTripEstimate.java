package org.ringchat.group.internal;

/**
 * The round trip of one link, estimated as TCP does (RFC 6298): a smoothed round trip (SRTT) and its
 * variation (RTTVAR) from timed answers, and from them the timeout RTO = SRTT + 4·RTTVAR. Only answers
 * that can only be to the one request timed are samples (Karn's rule: an answer that came after the request
 * was repeated or passed through others says nothing of this link). A request that timed out doubles
 * the timeout until the next sample, as a link that got slower must not be taken for dead at every probe.
 *
 * <p>Not thread-safe: runs on the protocol thread.
 */
final class RoundTripEstimate {

    /** The timeout before the first sample (RFC 6298, 2.1): long enough for any round trip on earth. */
    static final long INITIAL_TIMEOUT_MILLIS = 1000;
    private static final double GAIN = 1.0 / 8;
    private static final double VARIATION_GAIN = 1.0 / 4;
    /** The clock's granularity, the least the variation term adds (RFC 6298's G). */
    private static final double GRANULARITY_MILLIS = 1;
    /** Doublings beyond which any configured maximum is reached anyway. */
    private static final int MAX_BACK_OFFS = 16;

    private double smoothed = -1;
    private double variation;
    private int backOffs;

    /** A round trip measured on this link. */
    void sample(long roundTripMillis) {
        double rtt = Math.max(0, roundTripMillis);
        if (smoothed < 0) {
            smoothed = rtt;
            variation = rtt / 2;
        } else {
            variation = (1 - VARIATION_GAIN) * variation + VARIATION_GAIN * Math.abs(smoothed - rtt);
            smoothed = (1 - GAIN) * smoothed + GAIN * rtt;
        }
        backOffs = 0;
    }

    /** A request on this link went unanswered within the timeout. */
    void timedOut() {
        backOffs = Math.min(backOffs + 1, MAX_BACK_OFFS);
    }

    /** RTO, doubled for each timeout since the last sample; the caller holds it within its bounds. */
    long timeoutMillis() {
        double rto = smoothed < 0 ? INITIAL_TIMEOUT_MILLIS : smoothed + Math.max(GRANULARITY_MILLIS, 4 * variation);
        return (long) Math.ceil(rto * (1L << backOffs));
    }

    /** The smoothed round trip, or -1 before the first sample. */
    long smoothedMillis() {
        return Math.round(smoothed);
    }
}
