package org.ringchat.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.ringchat.group.internal.AckTimeouts;
import org.ringchat.group.internal.FailureDetector;
import org.ringchat.group.internal.FrameType;

/** The benchmark experiments; each returns its rows and prints a progress line per simulated group. */
public final class Experiments {

    /** Virtual time before an experiment starts: every detector has started and probed its links. */
    static final long WARMUP_MILLIS = 10_000;

    static final int[] PROBE_TYPES = {FrameType.PROBE, FrameType.PROBE_ACK, FrameType.PROBE_REQUEST};
    static final int[] BROADCAST_CONTROL_TYPES = {FrameType.ACKS, FrameType.PARTS_DONE, FrameType.CONFIRMS};
    static final int[] SYNC_TYPES = {FrameType.SYNC_REQUEST, FrameType.SYNC_BATCH};
    static final int[] CONTROL_TYPES = {FrameType.PROBE, FrameType.PROBE_ACK, FrameType.PROBE_REQUEST,
            FrameType.ACKS, FrameType.PARTS_DONE, FrameType.CONFIRMS, FrameType.SYNC_REQUEST, FrameType.SYNC_BATCH};

    /** The naive ring with a part timeout of 2 × max latency × N, longer than a message's round trip. */
    public static final String NAIVE_LONG_PART = "naive-longpart";

    /** The node's part timeout (NodeConfiguration), for the experiments on a WAN: the simulator's 2 s is for a LAN. */
    static final long PART_TIMEOUT_NODE_MILLIS = 10_000;

    private final Config base;
    private final Consumer<String> progress;

    public Experiments(Config base, Consumer<String> progress) {
        this.base = base;
        this.progress = progress;
    }

    private static long wallSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static int ceilLog2(int n) {
        return 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    /**
     * Runs until every message's broadcast completed at its author and every live member holds it (or
     * {@code limit}), then one more second for CONFIRM.
     */
    static void runUntilComplete(Simulation sim, List<Msg> messages, long limit) {
        while (sim.now() < limit && (messages.stream().anyMatch(m -> m.completedAt < 0)
                || Report.of(sim, messages, Long.MAX_VALUE).deliveryRatio() < 1)) {
            sim.runFor(250);
        }
        sim.runFor(1000);
    }

    // ---------------------------------------------------------------- 1. healthy

    /** K broadcasts from random members of a healthy group, anti-entropy off: what the broadcast alone does. */
    public Table.Row healthy(int n, String topology, int k) {
        long start = System.nanoTime();
        Config c = base.copy().members(n).topology(topology).antiEntropy(false);
        if (topology.equals(NAIVE_LONG_PART)) {
            // The naive ring with a part timeout longer than its round trip: what the topology alone costs.
            c.topology("naive").partTimeout(Math.max(c.partTimeoutMillis, 20L * c.latencyMaxMillis * n));
        }
        Simulation sim = new Simulation(c).start();
        sim.runUntil(WARMUP_MILLIS / 2);
        List<Msg> messages = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            messages.add(sim.broadcast(sim.randomLive()));
            sim.runFor(50);
        }
        long limit = sim.now() + 600_000;
        runUntilComplete(sim, messages, limit);
        // And until the CONFIRMs went round (a whole ring again for the naive one).
        while (sim.now() < limit && messages.stream().anyMatch(m -> m.confirms < n - 1)) {
            sim.runFor(250);
        }
        Report r = Report.of(sim, messages, Long.MAX_VALUE);
        double completion = messages.stream().filter(m -> m.completedAt >= 0)
                .mapToLong(m -> m.completedAt - m.origin).average().orElse(Double.NaN);
        double confirmed = messages.stream().mapToDouble(m -> (double) m.confirms / (n - 1)).average().orElse(0);
        long wall = wallSince(start);
        progress.accept(String.format("[healthy] N=%d %s K=%d: copies/(N-1)=%.4f dup=%.3f%% hops max=%d mean=%.2f delivered=%.4f%% (%d ms wall)",
                n, topology, k, r.copiesPerMember(), r.duplicatePct(), r.maxHops(), r.meanHops(), 100 * r.deliveryRatio(), wall));
        return new Table.Row().put("n", n).put("topology", topology).put("broadcasts", k)
                .put("copies_per_n_minus_1", r.copiesPerMember()).put("duplicate_pct", r.duplicatePct())
                .put("max_hops", r.maxHops()).put("mean_hops", r.meanHops()).put("ceil_log2_n", ceilLog2(n))
                .put("delivery_ratio", r.deliveryRatio()).put("completion_ms_mean", completion)
                .put("confirm_ratio", confirmed).put("part_timeout_ms", c.partTimeoutMillis).put("virtual_s", sim.now() / 1000.0).put("wall_ms", wall);
    }

    // ---------------------------------------------------------------- 2. crash

    /**
     * Crashes a fraction of the members at once, then at once K broadcasts from live members, before any
     * detection: what reached the live members within 2 s, and after detection and anti-entropy ran for
     * {@code repairMillis}. Repeated for {@code seeds} seeds (seed, seed + 1, ...), pooled.
     */
    public Table.Row crash(int n, String topology, double fraction, int k, long repairMillis, int seeds) {
        long start = System.nanoTime();
        long pairs = 0, fast = 0, after = 0, viaSync = 0, last = 0, neverByChat = 0;
        double copies = 0, duplicates = 0, meanHops = 0, control = 0, confirmed = 0;
        int maxHops = 0, watchPairs = 0;
        long falseDowns = 0;
        List<Long> detections = new ArrayList<>();
        List<Long> repairs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            Config c = base.copy().members(n).topology(topology).seed(base.seed + s);
            Simulation sim = new Simulation(c).start();
            sim.runUntil(WARMUP_MILLIS);
            Network.Counters before = sim.network().counters();
            long t0 = sim.now();
            sim.crash(sim.pickMembers((int) Math.round(fraction * n), List.of()));
            List<Msg> messages = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                messages.add(sim.broadcast(sim.randomLive()));
            }
            sim.runFor(2000);
            Report f = Report.of(sim, messages, 2000);
            sim.runUntil(t0 + repairMillis);
            Report r = Report.of(sim, messages, Long.MAX_VALUE);
            Network.Counters window = sim.network().counters().minus(before);
            pairs += f.pairs();
            fast += f.delivered();
            neverByChat += r.neverByChat();
            after += r.delivered();
            viaSync += r.viaSync();
            last = Math.max(last, r.delivered() == r.pairs() ? r.lastDelivery() : Long.MAX_VALUE);
            copies += r.copiesPerMember() / seeds;
            int live = sim.liveCount();
            confirmed += messages.stream().mapToDouble(m -> (double) m.confirms / (live - 1)).average().orElse(0) / seeds;
            duplicates += r.duplicatePct() / seeds;
            meanHops += r.meanHops() / seeds;
            maxHops = Math.max(maxHops, r.maxHops());
            control += window.bytes(CONTROL_TYPES) / (double) sim.liveCount() / ((sim.now() - t0) / 1000.0) / seeds;
            detections.addAll(sim.detectionTimes());
            repairs.addAll(sim.repairTimes());
            watchPairs += sim.watchPairs();
            falseDowns += sim.falseDowns();
        }
        long wall = wallSince(start);
        double ratioFast = (double) fast / pairs;
        double ratioAfter = (double) after / pairs;
        progress.accept(String.format("[crash] N=%d %s crashed=%.0f%% K=%d seeds=%d: within 2 s %.4f%%, after %d s %.4f%% "
                        + "(last delivery at %s) copies/(N-1)=%.3f detect median %.0f ms (%d ms wall)",
                n, topology, 100 * fraction, k, seeds, 100 * ratioFast, repairMillis / 1000, 100 * ratioAfter,
                last == Long.MAX_VALUE ? "never" : last / 1000.0 + " s", copies, Stats.median(detections), wall));
        return new Table.Row().put("n", n).put("topology", topology).put("crashed_pct", 100 * fraction).put("broadcasts", k)
                .put("seeds", seeds).put("ack_ms", base.ackTimeouts.maxMillis()).put("part_ms", base.partTimeoutMillis)
                .put("loss", base.loss).put("live_pairs", pairs)
                .put("delivered_2s", fast).put("ratio_2s", ratioFast).put("missed_2s", pairs - fast)
                .put("delivered_after", after).put("ratio_after_repair", ratioAfter).put("repair_window_s", repairMillis / 1000)
                .put("via_anti_entropy", viaSync).put("anti_entropy_only", neverByChat)
                .put("last_delivery_s", last == Long.MAX_VALUE ? Double.NaN : last / 1000.0)
                .put("copies_per_n_minus_1", copies).put("duplicate_pct", duplicates)
                .put("max_hops", maxHops).put("mean_hops", meanHops).put("confirm_reach", confirmed)
                .put("detect_median_ms", Stats.median(detections)).put("detect_p99_ms", Stats.quantile(detections, 0.99))
                .put("detected_pairs", detections.size()).put("watch_pairs", watchPairs)
                .put("repair_median_ms", Stats.median(repairs)).put("repair_p99_ms", Stats.quantile(repairs, 0.99))
                .put("control_B_per_member_s", control).put("false_downs", falseDowns).put("wall_ms", wall);
    }

    // ---------------------------------------------------------------- 3. detect and repair

    /**
     * Crash → down at every member that watched the crashed one, and detection → first sign of life of each
     * replacement link. {@code batch}: a tenth of the members crash at once; otherwise 20 crash one at a time, 5 s
     * apart (every detection is over within 3 s). {@code traffic}: a message a second meanwhile (failed hand-offs make the detector probe at once).
     */
    public Table.Row detect(int n, String topology, boolean batch, boolean traffic) {
        long start = System.nanoTime();
        Config c = base.copy().members(n).topology(topology);
        Simulation sim = new Simulation(c).start();
        sim.runUntil(WARMUP_MILLIS);
        long end;
        int crashed;
        if (batch) {
            crashed = Math.max(1, n / 10);
            end = sim.now() + 30_000;
            if (traffic) {
                sim.traffic(1000, end);
            }
            sim.crash(sim.pickMembers(crashed, List.of()));
            sim.runUntil(end);
        } else {
            crashed = 20;
            end = sim.now() + crashed * 5_000L + 10_000;
            if (traffic) {
                sim.traffic(1000, end);
            }
            for (int i = 0; i < crashed; i++) {
                sim.runFor(i == 0 ? 0 : 5_000);
                sim.crash(sim.pickMembers(1, List.of()));
            }
            sim.runUntil(end);
        }
        List<Long> d = sim.detectionTimes();
        List<Long> r = sim.repairTimes();
        long wall = wallSince(start);
        String mode = (batch ? "batch " + crashed : "one at a time x" + crashed) + (traffic ? ", 1 msg/s" : ", idle");
        progress.accept(String.format("[detect] N=%d %s %s: detected %d/%d median %.0f p99 %.0f ms; repaired %d median %.0f p99 %.0f ms (%d ms wall)",
                n, topology, mode, d.size(), sim.watchPairs(), Stats.median(d), Stats.quantile(d, 0.99), r.size(),
                Stats.median(r), Stats.quantile(r, 0.99), wall));
        return new Table.Row().put("n", n).put("topology", topology).put("crashes", batch ? "batch" : "single")
                .put("crashed", crashed).put("traffic", traffic ? "1 msg/s" : "idle")
                .put("watch_pairs", sim.watchPairs()).put("detected", d.size())
                .put("detect_median_ms", Stats.median(d)).put("detect_p90_ms", Stats.quantile(d, 0.9))
                .put("detect_p99_ms", Stats.quantile(d, 0.99)).put("detect_max_ms", Stats.max(d))
                .put("repairs", r.size()).put("repair_median_ms", Stats.median(r)).put("repair_p99_ms", Stats.quantile(r, 0.99))
                .put("repairs_unanswered", sim.repairsOutstanding()).put("false_downs", sim.falseDowns()).put("wall_ms", wall);
    }

    // ---------------------------------------------------------------- 4. control traffic

    /** Control bytes per live member per second over a 30 s window after warm-up, idle or at 1 msg/s. */
    public Table.Row control(int n, String topology, boolean traffic, long windowMillis) {
        long start = System.nanoTime();
        Config c = base.copy().members(n).topology(topology);
        Simulation sim = new Simulation(c).start();
        long end = WARMUP_MILLIS + windowMillis;
        List<Msg> messages = traffic ? sim.traffic(1000, end) : List.of();
        sim.runUntil(WARMUP_MILLIS);
        Network.Counters before = sim.network().counters();
        sim.runUntil(end);
        Network.Counters w = sim.network().counters().minus(before);
        double perMemberSecond = sim.liveCount() * (windowMillis / 1000.0);
        double probes = w.bytes(PROBE_TYPES) / perMemberSecond;
        double broadcast = w.bytes(BROADCAST_CONTROL_TYPES) / perMemberSecond;
        double sync = w.bytes(SYNC_TYPES) / perMemberSecond;
        double payload = w.bytes(FrameType.CHAT) / perMemberSecond;
        long wall = wallSince(start);
        progress.accept(String.format("[control] N=%d %s %s: control %.1f B/member/s (probes %.1f, acks/part-done/confirm %.1f, anti-entropy %.1f); payload %.1f (%d ms wall)",
                n, topology, traffic ? "1 msg/s" : "idle", probes + broadcast + sync, probes, broadcast, sync, payload, wall));
        return new Table.Row().put("n", n).put("topology", topology).put("traffic", traffic ? "1 msg/s" : "idle")
                .put("messages", messages.size())
                .put("control_B_per_member_s", probes + broadcast + sync).put("probes_B", probes)
                .put("chat_ack_part_done_confirm_B", broadcast).put("anti_entropy_B", sync)
                .put("control_frames_per_member_s", w.frames(CONTROL_TYPES) / perMemberSecond)
                .put("payload_B_per_member_s", payload).put("wall_ms", wall);
    }

    // ---------------------------------------------------------------- 6. false suspicions on a WAN

    /**
     * No crash, on a WAN: one-way latency per pair uniform in 25–150 ms (round trips of 50–300 ms), each
     * frame up to {@code jitterMillis} later, 1 % of frames lost, a message a second from a random member, for
     * {@code hours} of virtual time after warm-up, with the node's part timeout. Every member taken for down is
     * a false suspicion; a message whose author learnt that it missed a member lost a CHAT or its
     * acknowledgement on the way, or gave up waiting for one (anti-entropy brings it later).
     */
    public Table.Row suspicions(int n, String topology, String detector, FailureDetector.Settings probes,
                                AckTimeouts acks, int jitterMillis, double hours) {
        long start = System.nanoTime();
        Config c = base.copy().members(n).topology(topology).latency(25, 150, jitterMillis).loss(0.01)
                .probes(probes).ackTimeouts(acks).partTimeout(PART_TIMEOUT_NODE_MILLIS);
        Simulation sim = new Simulation(c).start();
        long end = WARMUP_MILLIS + (long) (hours * 3_600_000);
        List<Msg> messages = sim.traffic(1000, end);
        sim.runUntil(WARMUP_MILLIS);
        long downsBefore = sim.falseDowns();
        Network.Counters before = sim.network().counters();
        sim.runUntil(end);
        long falseDowns = sim.falseDowns() - downsBefore;
        double memberHours = n * hours;
        long namedMissing = messages.stream().filter(m -> m.missingReported > 0).count();
        double probeBytes = sim.network().counters().minus(before).bytes(PROBE_TYPES) / (n * hours * 3600);
        long wall = wallSince(start);
        progress.accept(String.format("[suspicions] N=%d %s %s jitter %d ms: %d false downs, %.2f per member-hour; "
                        + "%d of %d messages named a live member missing; probes %.1f B/member/s (%d ms wall)",
                n, topology, detector, jitterMillis, falseDowns, falseDowns / memberHours, namedMissing,
                messages.size(), probeBytes, wall));
        return new Table.Row().put("n", n).put("topology", topology).put("detector", detector)
                .put("jitter_ms", jitterMillis).put("member_hours", memberHours).put("false_downs", falseDowns)
                .put("false_downs_per_member_hour", falseDowns / memberHours).put("messages", messages.size())
                .put("messages_named_missing", namedMissing).put("probes_B_per_member_s", probeBytes).put("wall_ms", wall);
    }
}
