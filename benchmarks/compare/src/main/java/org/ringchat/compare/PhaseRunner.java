package org.ringchat.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one phase on a formed cluster: senders keep the window full through a warm-up and the measured
 * part, then stop; what was still under way gets a while to finish before the next phase starts. The
 * measured part's CPU is profiled ({@link CpuProfile}) and shared out by {@link CpuCategory}.
 */
final class PhaseRunner {

    /** A phase without a single broadcast completing for this long is given up. */
    private static final long STALL_MILLIS = 10_000;
    private static final long DRAIN_MILLIS = 60_000;

    private final Cluster cluster;
    private final Cell cell;
    private final SinkSwitch sink;
    private final AtomicLong sequence = new AtomicLong();

    /** Passes deliveries to the current phase's tracker. */
    static final class SinkSwitch implements Cluster.Sink {
        private volatile Tracker target;

        @Override
        public void delivered(int member, long seq) {
            Tracker t = target;
            if (t != null) {
                t.delivered(member, seq);
            }
        }
    }

    PhaseRunner(Cluster cluster, Cell cell, SinkSwitch sink) {
        this.cluster = cluster;
        this.cell = cell;
        this.sink = sink;
    }

    PhaseResult run(String phase, int window, int senders, double warmupSeconds, double measureSeconds,
                    double setupSeconds) throws InterruptedException {
        Tracker tracker = new Tracker(cell.members(), window, sequence);
        sink.target = tracker;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int member = s;
            Thread t = new Thread(() -> send(tracker, member, stop, errors), "bench-sender-" + s);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        String status = "ok";
        if (!await(tracker, warmupSeconds)) {
            status = "stalled in warm-up";
        }
        CpuMeter.Span span = new CpuMeter.Span();
        long completedBefore = tracker.completed();
        long deliveriesBefore = tracker.deliveries();
        Map<String, Long> countersBefore = cluster.counters();
        tracker.record(true);
        if (status.equals("ok") && !await(tracker, measureSeconds)) {
            status = "stalled";
        }
        tracker.record(false);
        span.stop();
        long broadcasts = tracker.completed() - completedBefore;
        long deliveries = tracker.deliveries() - deliveriesBefore;
        Map<String, Long> countersAfter = cluster.counters();
        stop.set(true);
        for (Thread t : threads) {
            t.join(DRAIN_MILLIS);
        }
        long drainUntil = System.currentTimeMillis() + DRAIN_MILLIS;
        while (tracker.inFlight() > 0 && System.currentTimeMillis() < drainUntil) {
            Thread.sleep(20);
        }
        long incomplete = tracker.inFlight();
        if (status.equals("ok") && incomplete > 0) {
            status = incomplete + " never reached every member";
        }
        double seconds = span.wallSeconds();
        double[] latency = tracker.latencyMillis(0.5, 0.99);
        double per = broadcasts == 0 ? Double.NaN : 1e6 / broadcasts;
        Map<String, Double> threadMicros = new TreeMap<>();
        span.after.threadSecondsSince(span.before).forEach((kind, s) -> threadMicros.put(kind, s * per));
        Map<String, Double> framesPer = new TreeMap<>();
        countersAfter.forEach((type, count) -> framesPer.put(type,
                (count - countersBefore.getOrDefault(type, 0L)) / (double) Math.max(1, broadcasts)));
        int receiving = senders == 1 ? cell.members() - 1 : cell.members();
        return new PhaseResult(cell, phase, window, seconds, broadcasts, broadcasts / seconds, latency[0], latency[1],
                span.after.processSecondsSince(span.before) * per, deliveries / seconds / receiving, incomplete,
                errors.get(), status, span.after.foreignCoresSince(span.before), span.after.loadAverage(), setupSeconds,
                cluster.formSeconds(), span.coresPerMember(cell.members()), threadMicros, framesPer, span.categoryShares());
    }

    /** Measures the formed group while nobody sends: what keeping it together costs (probes, anti-entropy). */
    PhaseResult idle(double measureSeconds, double setupSeconds) throws InterruptedException {
        Map<String, Long> countersBefore = cluster.counters();
        CpuMeter.Span span = new CpuMeter.Span();
        Thread.sleep((long) (measureSeconds * 1000));
        span.stop();
        Map<String, Double> framesPerSecond = new TreeMap<>();
        cluster.counters().forEach((type, count) -> framesPerSecond.put(type,
                (count - countersBefore.getOrDefault(type, 0L)) / span.wallSeconds() / cell.members()));
        return PhaseResult.withoutBroadcasts(cell, "idle", span, setupSeconds, cluster.formSeconds(), framesPerSecond);
    }

    private void send(Tracker tracker, int member, AtomicBoolean stop, AtomicLong errors) {
        try {
            while (!stop.get()) {
                if (!tracker.awaitRoom()) {
                    continue;
                }
                long seq = tracker.begin();
                try {
                    cluster.broadcast(member, seq, cell.payload());
                } catch (Exception e) {
                    tracker.abandon(seq);
                    if (errors.incrementAndGet() == 1) {
                        System.err.println("  send failed: " + e);
                    }
                    Thread.sleep(10);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sleeps for the given time; false as soon as nothing completed for {@link #STALL_MILLIS}. */
    private static boolean await(Tracker tracker, double seconds) throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long lastCount = tracker.completed();
        long lastProgress = System.nanoTime();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.max(1, Math.min(100, (end - System.nanoTime()) / 1_000_000)));
            long count = tracker.completed();
            if (count != lastCount) {
                lastCount = count;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL_MILLIS * 1_000_000) {
                return false;
            }
        }
        return true;
    }
}
