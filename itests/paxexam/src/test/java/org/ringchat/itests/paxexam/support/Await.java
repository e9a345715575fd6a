package org.ringchat.itests.paxexam.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling with a deadline: waits for a condition instead of sleeping a fixed time. */
public final class Await {

    private Await() {
    }

    /**
     * Returns as soon as {@code condition} holds; fails after {@code timeout} with {@code what} and the
     * state {@code currentState} describes at that moment.
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition,
                             Supplier<String> currentState) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 5;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "\n" + currentState.get());
            }
            Thread.sleep(pauseMillis);
            pauseMillis = Math.min(pauseMillis * 2, 100);
        }
    }
}
