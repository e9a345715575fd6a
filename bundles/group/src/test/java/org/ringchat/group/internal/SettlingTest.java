package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Acting once changes have settled, on virtual time. */
class SettlingTest {

    private final VirtualTime time = new VirtualTime();
    private final List<Long> actedAt = new ArrayList<>();
    private final Settling settling = new Settling(time, 1_000, 5_000, () -> actedAt.add(time.nowMillis()));

    @Test
    void aSingleChangeIsActedOnAfterTheQuietPeriod() {
        settling.changed();
        time.advance(999);
        assertEquals(List.of(), actedAt);
        time.advance(1);
        assertEquals(List.of(1_000L), actedAt);
    }

    @Test
    void aBurstOfChangesIsActedOnOnceItHasSettled() {
        for (int i = 0; i < 5; i++) {
            settling.changed();
            time.advance(300);
        }
        time.advance(10_000);
        assertEquals(List.of(2_200L), actedAt);
    }

    @Test
    void changesThatNeverPauseAreStillActedOnAfterTheLongestWait() {
        for (int i = 0; i < 40; i++) {
            settling.changed();
            time.advance(300);
        }
        assertEquals(List.of(5_000L, 10_100L), actedAt);
    }
}
