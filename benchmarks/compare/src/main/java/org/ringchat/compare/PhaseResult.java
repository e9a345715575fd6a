package org.ringchat.compare;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one phase of a cell measured.
 *
 * @param phase          {@code load} (the window full, every sender sending), {@code light} (one broadcast at a
 *                       time), {@code idle} (the group formed, nobody sending) or {@code setup} (starting the
 *                       members and forming the group)
 * @param seconds        length of the measured part
 * @param broadcasts     broadcasts delivered to all members within it
 * @param throughput     broadcasts delivered to all per second
 * @param p50Millis      median of send to last delivery, ms
 * @param p99Millis      99th percentile of the same
 * @param cpuMicros      process CPU per broadcast delivered to all, µs (every member's work together)
 * @param receiveRate    deliveries per second at one receiving member (the mean over them)
 * @param incomplete     broadcasts still short of a member after the senders stopped and a drain
 * @param sendErrors     sends that failed at once
 * @param status         {@code ok}, or what went wrong
 * @param foreignCores   cores' worth of CPU other processes used meanwhile
 * @param loadAverage    the machine's 1-minute load average at the end
 * @param setupSeconds   time to start the members and form the group
 * @param formSeconds    the part of it from the first invitation until every member knew every other
 * @param coresPerMember process CPU over the measured part's wall time, per member
 * @param threadMicros   CPU per broadcast by kind of thread, µs (idle and setup: cores by kind of thread)
 * @param framesPer      frames received per broadcast by type, over all members (ringchat only; idle: frames
 *                       received per second and member; setup: {@link #TLS_HANDSHAKES} only)
 * @param cpuShares      each {@link CpuCategory}'s share of the process CPU (0..1)
 */
record PhaseResult(Cell cell, String phase, int window, double seconds, long broadcasts, double throughput,
                   double p50Millis, double p99Millis, double cpuMicros, double receiveRate, long incomplete,
                   long sendErrors, String status, double foreignCores, double loadAverage, double setupSeconds,
                   double formSeconds, double coresPerMember, Map<String, Double> threadMicros,
                   Map<String, Double> framesPer, Map<String, Double> cpuShares) {

    /** The TLS handshakes of a setup, both ends counted (every member runs in this JVM). */
    static final String TLS_HANDSHAKES = "TLS handshakes";

    static PhaseResult failed(Cell cell, String phase, String status, double setupSeconds) {
        return new PhaseResult(cell, phase, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                0, 0, status, Double.NaN, Double.NaN, setupSeconds, Double.NaN, Double.NaN, Map.of(), Map.of(), Map.of());
    }

    /** A phase without broadcasts: its CPU per member and by kind of thread and category. */
    static PhaseResult withoutBroadcasts(Cell cell, String phase, CpuMeter.Span span, double setupSeconds,
                                         double formSeconds, Map<String, Double> framesPerSecond) {
        double seconds = span.wallSeconds();
        Map<String, Double> threadCores = new TreeMap<>();
        span.after.threadSecondsSince(span.before).forEach((kind, s) -> threadCores.put(kind, s / seconds));
        return new PhaseResult(cell, phase, 0, seconds, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                0, 0, "ok", span.after.foreignCoresSince(span.before), span.after.loadAverage(), setupSeconds,
                formSeconds, span.coresPerMember(cell.members()), threadCores, framesPerSecond, span.categoryShares());
    }

    boolean ok() {
        return status.equals("ok");
    }

    /** Whether this is the figure that counts: the last repetition of its cell, the earlier ones warmed it up. */
    boolean judged() {
        return cell.repetition() == cell.repetitions();
    }
}
