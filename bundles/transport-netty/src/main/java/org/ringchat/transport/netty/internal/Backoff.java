package org.ringchat.transport.netty.internal;

import java.time.Duration;

/**
 * When to try a peer again after failed connection attempts: the wait starts at {@link #INITIAL} and
 * doubles with each further failure up to {@link #MAX}.
 *
 * @param delayMillis  the wait after the last failure
 * @param retryAtNanos {@link System#nanoTime()} from which the next attempt may start
 * @param reason       why the last attempt failed
 */
record Backoff(long delayMillis, long retryAtNanos, String reason) {

    static final Duration INITIAL = Duration.ofMillis(100);
    static final Duration MAX = Duration.ofSeconds(10);

    /** The backoff after a failure at {@code nowNanos}, following {@code previous} (null after a success). */
    static Backoff afterFailure(Backoff previous, long nowNanos, String reason) {
        long delay = previous == null ? INITIAL.toMillis() : Math.min(previous.delayMillis * 2, MAX.toMillis());
        return new Backoff(delay, nowNanos + Duration.ofMillis(delay).toNanos(), reason);
    }

    boolean isWaiting(long nowNanos) {
        return nowNanos - retryAtNanos < 0;
    }

    /** Milliseconds until the next attempt, rounded up. */
    long remainingMillis(long nowNanos) {
        return Math.max(0, Duration.ofNanos(retryAtNanos - nowNanos).plusNanos(999_999).toMillis());
    }
}
