package org.ringchat.itests.processes;

import java.util.Locale;
import java.util.Random;

/**
 * What a member's access link does to the bytes that cross it, one way: a fixed {@code delayMs}, up to
 * {@code jitterMs} more (uniformly drawn), and a {@code loss} probability (0 to 1) per chunk of the stream.
 * A connection between two members crosses both their access links, so it gets the {@link #plus sum} of
 * their profiles; its round trip is twice the summed delay.
 * <p>
 * Loss over TCP is what the application sees of it: a lost segment is sent again after the sender's
 * retransmission timeout, and everything behind it waits. So a "lost" chunk arrives {@link #stallMs()} late,
 * and the chunks after it no earlier (the stream stays in order).
 */
record LinkProfile(double delayMs, double jitterMs, double loss) {

    /** No delay, no jitter, no loss: the forwarder alone. */
    static final LinkProfile NONE = new LinkProfile(0, 0, 0);
    /** Linux's least retransmission timeout (TCP_RTO_MIN). */
    private static final double MIN_RTO_MS = 200;

    LinkProfile {
        if (delayMs < 0 || jitterMs < 0 || loss < 0 || loss >= 1) {
            throw new IllegalArgumentException("a link profile needs delay and jitter >= 0 and a loss in [0, 1): "
                    + delayMs + " ms, " + jitterMs + " ms, " + loss);
        }
    }

    /** Both links one after the other: delays and jitters add up, a chunk is lost if either loses it. */
    LinkProfile plus(LinkProfile other) {
        return new LinkProfile(delayMs + other.delayMs, jitterMs + other.jitterMs, 1 - (1 - loss) * (1 - other.loss));
    }

    /** How long a chunk takes on this link now, in milliseconds: the delay, a jitter, and a stall if it is lost. */
    double transitMs(Random random) {
        double transit = delayMs + jitterMs * random.nextDouble();
        return random.nextDouble() < loss ? transit + stallMs() : transit;
    }

    /** What a loss costs: the retransmission timeout (at least 200 ms, as Linux's) and the round trip of the resend. */
    double stallMs() {
        return MIN_RTO_MS + 2 * delayMs;
    }

    /** {@code DELAY/JITTER/LOSS}, as {@link #parse} reads it: {@code 25/5/0.005}. */
    String argument() {
        return String.format(Locale.ROOT, "%s/%s/%s", delayMs, jitterMs, loss);
    }

    static LinkProfile parse(String argument) {
        String[] parts = argument.split("/");
        if (parts.length != 3) {
            throw new IllegalArgumentException("a link profile is DELAY_MS/JITTER_MS/LOSS, not '" + argument + "'");
        }
        return new LinkProfile(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]), Double.parseDouble(parts[2]));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.1f ms + up to %.1f ms jitter, %.2f %% loss", delayMs, jitterMs, loss * 100);
    }
}
