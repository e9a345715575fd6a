package org.ringchat.compare;

import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts a phase's broadcasts to the end: a broadcast is done when every member but its sender delivered
 * it. At most {@code window} broadcasts are under way at a time, whoever sends them: the harness's own
 * flow control, the same for every system. Latency is send to last delivery, by {@link System#nanoTime}.
 */
final class Tracker implements Cluster.Sink {

    /** Slots for broadcasts under way, by sequence number; far more than any window. */
    private static final int SLOTS = 1 << 16;
    private static final int MAX_SAMPLES = 1 << 22;

    private final int receivers;
    private final long firstSeq;
    private final AtomicLong nextSeq;
    private final Semaphore window;
    private final long[] sentAt = new long[SLOTS];
    private final AtomicIntegerArray remaining = new AtomicIntegerArray(SLOTS);
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLongArray deliveriesAt;
    private final long[] latencies = new long[MAX_SAMPLES];
    private final AtomicInteger samples = new AtomicInteger();
    private volatile boolean recording;

    /**
     * @param members  the group's size
     * @param window   how many broadcasts may be under way at once
     * @param sequence shared by the phases of a cell, so that a late delivery from an earlier phase is
     *                 recognised and ignored
     */
    Tracker(int members, int window, AtomicLong sequence) {
        if (window >= SLOTS) {
            throw new IllegalArgumentException("window " + window + " is over " + SLOTS);
        }
        this.receivers = members - 1;
        this.nextSeq = sequence;
        this.firstSeq = sequence.get();
        this.window = new Semaphore(window);
        this.deliveriesAt = new AtomicLongArray(members);
    }

    /** Waits a little for room in the window; false if there is none yet. */
    boolean awaitRoom() throws InterruptedException {
        return window.tryAcquire(100, TimeUnit.MILLISECONDS);
    }

    /** Starts a broadcast in the room {@link #awaitRoom} found: its sequence number. */
    long begin() {
        long seq = nextSeq.getAndIncrement();
        int slot = (int) (seq & (SLOTS - 1));
        remaining.set(slot, receivers);
        sentAt[slot] = System.nanoTime();
        started.incrementAndGet();
        return seq;
    }

    /** The broadcast could not be sent: it gives its room back and is not counted. */
    void abandon(long seq) {
        remaining.set((int) (seq & (SLOTS - 1)), -1);
        started.decrementAndGet();
        window.release();
    }

    @Override
    public void delivered(int member, long seq) {
        if (seq < firstSeq) {
            return;
        }
        deliveriesAt.incrementAndGet(member);
        int slot = (int) (seq & (SLOTS - 1));
        if (remaining.decrementAndGet(slot) == 0) {
            long latency = System.nanoTime() - sentAt[slot];
            completed.incrementAndGet();
            window.release();
            if (recording) {
                int i = samples.getAndIncrement();
                if (i < MAX_SAMPLES) {
                    latencies[i] = latency;
                }
            }
        }
    }

    void record(boolean on) {
        recording = on;
    }

    long completed() {
        return completed.get();
    }

    long inFlight() {
        return started.get() - completed.get();
    }

    /** Deliveries counted at every member, summed. */
    long deliveries() {
        long sum = 0;
        for (int i = 0; i < deliveriesAt.length(); i++) {
            sum += deliveriesAt.get(i);
        }
        return sum;
    }

    /** Latency quantiles of the broadcasts completed while recording, in ms; NaN when there were none. */
    double[] latencyMillis(double... quantiles) {
        int n = Math.min(samples.get(), MAX_SAMPLES);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        double[] result = new double[quantiles.length];
        for (int i = 0; i < quantiles.length; i++) {
            result[i] = n == 0 ? Double.NaN
                    : sorted[Math.min(n - 1, (int) Math.ceil(quantiles[i] * n) - 1)] / 1e6;
        }
        return result;
    }
}
