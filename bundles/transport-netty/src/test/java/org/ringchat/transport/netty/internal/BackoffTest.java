package org.ringchat.transport.netty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final long MS = 1_000_000;

    @Test
    void doublesFromOneHundredMillisecondsUpToTenSeconds() {
        List<Long> delays = new ArrayList<>();
        Backoff backoff = null;
        for (int i = 0; i < 10; i++) {
            backoff = Backoff.afterFailure(backoff, 0, "refused");
            delays.add(backoff.delayMillis());
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 10000L, 10000L, 10000L), delays);
    }

    @Test
    void waitsUntilTheRetryTime() {
        long failedAt = -5 * MS; // nanoTime may be negative
        Backoff backoff = Backoff.afterFailure(null, failedAt, "refused");

        assertTrue(backoff.isWaiting(failedAt));
        assertEquals(100, backoff.remainingMillis(failedAt));
        assertTrue(backoff.isWaiting(failedAt + 99 * MS + 1));
        assertEquals(1, backoff.remainingMillis(failedAt + 99 * MS + 1));
        assertFalse(backoff.isWaiting(failedAt + 100 * MS));
        assertEquals(0, backoff.remainingMillis(failedAt + 200 * MS));
        assertEquals("refused", backoff.reason());
    }
}
