package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 6298's estimator: SRTT, RTTVAR and RTO = SRTT + 4·RTTVAR, doubled after a timeout. */
class RoundTripEstimateTest {

    private final RoundTripEstimate estimate = new RoundTripEstimate();

    @Test
    void beforeAnySampleTheTimeoutIsOneSecond() {
        assertEquals(1000, estimate.timeoutMillis());
        assertEquals(-1, estimate.smoothedMillis());
    }

    @Test
    void theFirstSampleSetsTheRoundTripAndHalfOfItAsItsVariation() {
        estimate.sample(100);
        assertEquals(100, estimate.smoothedMillis());
        assertEquals(100 + 4 * 50, estimate.timeoutMillis());
    }

    @Test
    void laterSamplesMoveTheRoundTripByAnEighthAndTheVariationByAQuarter() {
        estimate.sample(100);
        estimate.sample(180);
        // RTTVAR = 3/4·50 + 1/4·|100 − 180| = 57.5, then SRTT = 7/8·100 + 1/8·180 = 110
        assertEquals(110, estimate.smoothedMillis());
        assertEquals(110 + 4 * 57.5, estimate.timeoutMillis());
    }

    @Test
    void aSteadyRoundTripBringsTheTimeoutDownToItAndTheVariationTermToAtLeastTheClockGranularity() {
        for (int i = 0; i < 200; i++) {
            estimate.sample(300);
        }
        assertEquals(300, estimate.smoothedMillis());
        assertEquals(301, estimate.timeoutMillis());
    }

    @Test
    void eachTimeoutDoublesTheTimeoutUntilTheNextSample() {
        estimate.sample(100);
        estimate.timedOut();
        assertEquals(600, estimate.timeoutMillis());
        estimate.timedOut();
        assertEquals(1200, estimate.timeoutMillis());
        estimate.sample(100);
        assertEquals(100 + 4 * 37.5, estimate.timeoutMillis(), "back to RTO: RTTVAR = 3/4·50 + 1/4·0 = 37.5");
    }
}
