package org.ringchat.simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.ringchat.group.internal.AckTimeouts;
import org.ringchat.group.internal.FailureDetector;
import org.ringchat.group.internal.GroupEngine;

/**
 * Command line: {@code benchmarks/simulate [--experiment run|healthy|crash|detect|control|suspicions|all] [options]}.
 * See {@link #usage()}.
 */
public final class Main {

    private final Map<String, String> options = new HashMap<>();
    private int threads;

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        try {
            new Main(args).execute();
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
        }
    }

    static String usage() {
        return """
                usage: benchmarks/simulate [--experiment EXP] [options]
                  EXP: run (default: one group, every metric), healthy, crash, detect, control, sensitivity
                       (crash with other timeouts), loss (random frame loss), suspicions (live members
                       taken for down on a WAN with jitter: adaptive against fixed timeouts), all (every
                       experiment at full size; writes CSV and SVG into --out), figures (the SVG again from
                       the CSV in --out)
                  --n LIST          members, e.g. 1000 or 10,100,1000,10000
                  --topology LIST   naive, ring, tree (comma-separated)
                  --crash LIST      % of members crashed at once, e.g. 30 or 0,10,20,...,80
                  --k N             broadcasts per group (default 20)
                  --repair-s S      virtual seconds a crash run goes on after the crash (default 60)
                  --seed S          (default 1)
                  --seeds S         crash experiment: seeds (crash patterns) pooled per row (default 5 for N <= 2000, else 1)
                  --ack-ms MS       Dissemination ack timeout (default 200)
                  --part-ms MS      Dissemination part timeout (default 2000)
                  --probe MS/MS/K   a fixed failure detector: interval/timeout/indirect probes (default: the node's,
                                    500 ms, 200-3000 ms following the round trip, 3, local health up to 8)
                  --loss P          frame loss probability (default 0)
                  --latency MIN-MAX one-way latency per ordered pair, ms (default 1-10)
                  --jitter MS       each frame up to MS later, in order per pair (default 0)
                  --hours H         suspicions: virtual hours per run (default 1)
                  --anti-entropy-ms MS  (default 5000)
                  --out DIR         where CSV and SVG go (default docs/benchmarks; with --experiment all only,
                                    unless --write is given)
                  --write           write CSV for the other experiments too
                  --threads T       simulations run side by side (default: one per core); each is one thread
                """;
    }

    private Main(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String key = a.substring(2);
            if (key.equals("help")) {
                System.out.println(usage());
                System.exit(0);
            }
            if (key.equals("write")) {
                options.put(key, "true");
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("no value for " + a);
            }
            options.put(key, args[++i]);
        }
    }

    private String opt(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    private static List<String> strings(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).toList();
    }

    private Config baseConfig() {
        Config c = new Config();
        c.seed = Long.parseLong(opt("seed", "1"));
        c.ackTimeout(Long.parseLong(opt("ack-ms", "200")));
        c.partTimeoutMillis = Long.parseLong(opt("part-ms", "2000"));
        c.loss = Double.parseDouble(opt("loss", "0"));
        c.antiEntropyIntervalMillis = Long.parseLong(opt("anti-entropy-ms", "5000"));
        String[] latency = opt("latency", "1-10").split("-");
        c.latencyMinMillis = Integer.parseInt(latency[0]);
        c.latencyMaxMillis = Integer.parseInt(latency[1]);
        c.jitterMillis = Integer.parseInt(opt("jitter", "0"));
        String probe = opt("probe", null);
        if (probe != null) {
            String[] p = probe.split("/");
            c.probes = FailureDetector.Settings.fixed(Long.parseLong(p[0]), Long.parseLong(p[1]), Integer.parseInt(p[2]));
        }
        return c;
    }

    private Path out() {
        String dir = opt("out", null);
        if (dir != null) {
            return Path.of(dir);
        }
        String home = System.getProperty("simulator.home");
        return home == null ? Path.of("docs", "benchmarks") : Path.of(home, "docs", "benchmarks");
    }

    private void execute() {
        Config base = baseConfig();
        threads = Integer.parseInt(opt("threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        String experiment = opt("experiment", "run");
        System.out.println("ringchat simulator: " + experiment + "; " + base);
        Experiments ex = new Experiments(base, Main::progress);
        long start = System.nanoTime();
        int k = Integer.parseInt(opt("k", "20"));
        long repair = Long.parseLong(opt("repair-s", "60")) * 1000;
        boolean write = options.containsKey("write");
        List<Table> tables = new ArrayList<>();
        switch (experiment) {
            case "run" -> run(base, Integer.parseInt(opt("n", "1000")), opt("topology", "ring"),
                    Double.parseDouble(opt("crash", "30")) / 100, k, repair);
            case "healthy" -> tables.add(healthy(ex, ints(opt("n", "10,100,1000,10000")),
                    strings(opt("topology", "naive,naive-longpart,ring,tree")), k));
            case "crash" -> tables.add(crash(ex, ints(opt("n", "1000")), strings(opt("topology", "ring,tree")),
                    ints(opt("crash", "0,10,20,30,40,50,60,70,80")), k, repair));
            case "detect" -> tables.add(detect(ex, ints(opt("n", "1000")), strings(opt("topology", "ring,tree"))));
            case "control" -> tables.add(control(ex, ints(opt("n", "100,1000")), strings(opt("topology", "ring,tree"))));
            case "sensitivity" -> tables.add(sensitivity(base, k, repair));
            case "loss" -> tables.add(loss(base, k, repair));
            case "suspicions" -> tables.add(suspicions(ex, ints(opt("n", "50")), strings(opt("topology", "ring,tree")),
                    Double.parseDouble(opt("hours", "1"))));
            case "all" -> {
                write = true;
                Table healthy = healthy(ex, ints(opt("n", "10,100,1000,10000")), strings("naive,naive-longpart,ring,tree"), k);
                Table crash = crash(ex, ints("1000,10000"), strings("ring,tree"), ints("0,10,20,30,40,50,60,70,80"), k, repair);
                Table detect = detect(ex, ints("1000,10000"), strings("ring,tree"));
                Table control = control(ex, ints("100,1000,10000"), strings("naive,ring,tree"));
                Table sensitivity = sensitivity(base, k, repair);
                Table loss = loss(base, k, repair);
                Table suspicions = suspicions(ex, ints("50"), strings("ring,tree"), 1);
                tables.addAll(List.of(healthy, crash, detect, control, sensitivity, loss, suspicions));
                Figures.write(out(), healthy, crash);
            }
            case "figures" -> Figures.write(out(), Table.readCsv("healthy", out().resolve("healthy.csv")),
                    Table.readCsv("crash", out().resolve("crash.csv")));
            default -> throw new IllegalArgumentException("unknown experiment " + experiment);
        }
        for (Table t : tables) {
            System.out.println();
            System.out.print(t.render());
            if (write) {
                Path file = out().resolve(t.name() + ".csv");
                t.writeCsv(file);
                System.out.println("wrote " + file);
            }
        }
        System.out.printf("%ntotal wall-clock time %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /**
     * Runs the rows' simulations on as many threads as there are cores (each simulation is one thread and
     * shares nothing), and adds them to the table in the order given, whatever order they finish in.
     */
    private Table collect(Table table, List<Callable<Table.Row>> rows) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Table.Row>> futures = new ArrayList<>();
            for (Callable<Table.Row> row : rows) {
                futures.add(pool.submit(row));
            }
            for (Future<Table.Row> f : futures) {
                table.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return table;
    }

    private Table healthy(Experiments ex, int[] ns, List<String> topologies, int k) {
        List<Callable<Table.Row>> rows = new ArrayList<>();
        for (int n : ns) {
            for (String topology : topologies) {
                // The naive ring takes N − 1 hops per message: fewer messages at 10,000.
                int messages = topology.startsWith("naive") && n >= 10_000 ? Math.min(k, 5) : k;
                rows.add(() -> ex.healthy(n, topology, messages));
            }
        }
        return collect(new Table("healthy", "healthy group: K broadcasts from random members, anti-entropy off"), rows);
    }

    private Table crash(Experiments ex, int[] ns, List<String> topologies, int[] percents, int k, long repair) {
        List<Callable<Table.Row>> rows = new ArrayList<>();
        for (int n : ns) {
            // Several crash patterns where a run is quick; one at 10,000 (each run is about a minute).
            int seeds = Integer.parseInt(opt("seeds", n <= 2000 ? "5" : "1"));
            for (String topology : topologies) {
                for (int p : percents) {
                    rows.add(() -> ex.crash(n, topology, p / 100.0, k, repair, seeds));
                }
            }
        }
        return collect(new Table("crash", "members crashed at once, then K broadcasts from live members before any detection"), rows);
    }

    private Table detect(Experiments ex, int[] ns, List<String> topologies) {
        List<Callable<Table.Row>> rows = new ArrayList<>();
        for (int n : ns) {
            for (String topology : topologies) {
                for (boolean batch : new boolean[] {false, true}) {
                    for (boolean traffic : new boolean[] {false, true}) {
                        rows.add(() -> ex.detect(n, topology, batch, traffic));
                    }
                }
            }
        }
        return collect(new Table("detect", "crash to down at each watcher; detection to the replacement link's first answer"), rows);
    }

    private Table control(Experiments ex, int[] ns, List<String> topologies) {
        List<Callable<Table.Row>> rows = new ArrayList<>();
        for (int n : ns) {
            for (String topology : topologies) {
                for (boolean traffic : new boolean[] {false, true}) {
                    rows.add(() -> ex.control(n, topology, traffic, 30_000));
                }
            }
        }
        return collect(new Table("control", "control bytes per live member per second, 30 s window after 10 s warm-up"), rows);
    }

    /** The crash experiment again with other acknowledgement and part timeouts. */
    private Table sensitivity(Config base, int k, long repair) {
        List<Callable<Table.Row>> rows = new ArrayList<>();
        for (long ack : new long[] {150, 200, 250}) {
            for (boolean longPart : new boolean[] {false, true}) {
                Config c = base.copy().ackTimeout(ack).partTimeout(longPart ? 5000 : 10 * ack);
                Experiments ex = new Experiments(c, Main::progress);
                for (String topology : List.of("ring", "tree")) {
                    for (int p : new int[] {30, 50}) {
                        rows.add(() -> ex.crash(1000, topology, p / 100.0, k, repair, 5));
                    }
                }
                rows.add(() -> ex.crash(10_000, "ring", 0.3, k, repair, 1));
            }
        }
        return collect(new Table("sensitivity", "the crash experiment with other ack and part timeouts"), rows);
    }

    /** No crash; every frame lost with a probability: what the broadcast alone delivers in 2 s, and anti-entropy after. */
    private Table loss(Config base, int k, long repair) {
        List<Callable<Table.Row>> rows = new ArrayList<>();
        for (double loss : new double[] {0.001, 0.01, 0.05}) {
            Experiments ex = new Experiments(base.copy().loss(loss), Main::progress);
            for (String topology : List.of("ring", "tree")) {
                rows.add(() -> ex.crash(1000, topology, 0, k, repair, 5));
            }
        }
        return collect(new Table("loss", "no crash, frames lost at random"), rows);
    }

    /**
     * False suspicions on a WAN with jitter (round trips 50–300 ms, 1 % loss): the node's adaptive detector,
     * the same without local health, and the fixed one it replaced (probe timeout 200 ms, acknowledgements 3 s).
     */
    private Table suspicions(Experiments ex, int[] ns, List<String> topologies, double hours) {
        FailureDetector.Settings adaptive = FailureDetector.Settings.defaults();
        FailureDetector.Settings withoutHealth = new FailureDetector.Settings(adaptive.probeIntervalMillis(),
                adaptive.probeTimeoutMinMillis(), adaptive.probeTimeoutMaxMillis(), adaptive.indirectProbes(), 0,
                adaptive.probeIntervalMaxMillis());
        AckTimeouts nodeAcks = GroupEngine.Settings.defaults().ackTimeouts();
        List<Callable<Table.Row>> rows = new ArrayList<>();
        for (int n : ns) {
            for (String topology : topologies) {
                for (int jitter : new int[] {0, 50}) {
                    rows.add(() -> ex.suspicions(n, topology, "fixed", FailureDetector.Settings.fixed(500, 200, 3),
                            AckTimeouts.fixed(3000), jitter, hours));
                    rows.add(() -> ex.suspicions(n, topology, "adaptive-no-health", withoutHealth, nodeAcks, jitter, hours));
                    rows.add(() -> ex.suspicions(n, topology, "adaptive", adaptive, nodeAcks, jitter, hours));
                }
            }
        }
        return collect(new Table("suspicions", "no crash; round trips 50-300 ms, jitter, 1 % loss, 1 msg/s: live members taken for down"), rows);
    }

    static void progress(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** One group through a healthy phase and a crash, with every metric the issue asks of a run. */
    private static void run(Config base, int n, String topology, double fraction, int k, long repair) {
        long start = System.nanoTime();
        Config c = base.copy().members(n).topology(topology);
        Simulation sim = new Simulation(c).start();
        System.out.printf("N=%d topology=%s: %d members joined; warming up %d s of virtual time%n", n, topology, n,
                Experiments.WARMUP_MILLIS / 1000);
        sim.runUntil(Experiments.WARMUP_MILLIS);
        Network.Counters before = sim.network().counters();
        long t0 = sim.now();

        List<Msg> healthy = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            healthy.add(sim.broadcast(sim.randomLive()));
            sim.runFor(50);
        }
        Experiments.runUntilComplete(sim, healthy, sim.now() + 600_000);
        Report h = Report.of(sim, healthy, Long.MAX_VALUE);
        System.out.printf("healthy: %d broadcasts done at %.1f s virtual (%.1f s wall)%n", k, sim.now() / 1000.0,
                (System.nanoTime() - start) / 1e9);

        long crashAt = sim.now();
        sim.crash(sim.pickMembers((int) Math.round(fraction * n), List.of()));
        List<Msg> crashed = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            crashed.add(sim.broadcast(sim.randomLive()));
        }
        sim.runFor(2000);
        Report fast = Report.of(sim, crashed, 2000);
        System.out.printf("crash: %.0f%% crashed, %d broadcasts at once; 2 s later %.4f%% delivered (%.1f s wall)%n",
                100 * fraction, k, 100 * fast.deliveryRatio(), (System.nanoTime() - start) / 1e9);
        sim.runUntil(crashAt + repair);
        Report after = Report.of(sim, crashed, Long.MAX_VALUE);
        Network.Counters w = sim.network().counters().minus(before);
        double seconds = (sim.now() - t0) / 1000.0;
        List<Long> d = sim.detectionTimes();
        List<Long> r = sim.repairTimes();
        double wall = (System.nanoTime() - start) / 1e9;

        System.out.println();
        System.out.printf("== run: N=%d, topology %s, seed %d%n", n, topology, c.seed);
        System.out.printf("payload copies per broadcast / (N-1)   %.4f   (duplicates %.3f %% of N-1)%n", h.copiesPerMember(), h.duplicatePct());
        System.out.printf("hops, max / mean                       %d / %.2f   (ceil(log2 N) = %d)%n", h.maxHops(), h.meanHops(),
                Experiments.ceilLog2(n));
        System.out.printf("delivery ratio, healthy                %.4f %%%n", 100 * h.deliveryRatio());
        System.out.printf("delivery ratio, %2.0f %% crashed, <= 2 s   %.4f %%  (%d of %d (message, live member) pairs)%n",
                100 * fraction, 100 * fast.deliveryRatio(), fast.delivered(), fast.pairs());
        System.out.printf("delivery ratio, %2.0f %% crashed, %3d s   %.4f %%  (after detection and anti-entropy; last delivery at %.1f s;%n"
                        + "                                        %d pairs first by anti-entropy, %d never handed a CHAT)%n",
                100 * fraction, repair / 1000, 100 * after.deliveryRatio(), after.lastDelivery() / 1000.0, after.viaSync(),
                after.neverByChat());
        System.out.printf("payload copies after the crash / (N-1) %.4f%n", after.copiesPerMember());
        System.out.printf("time to detect (crash -> down)         median %.0f ms, p99 %.0f ms  (%d of %d watcher pairs)%n",
                Stats.median(d), Stats.quantile(d, 0.99), d.size(), sim.watchPairs());
        System.out.printf("time to repair (down -> new link heard) median %.0f ms, p99 %.0f ms  (%d links; %d replacements not answering)%n",
                Stats.median(r), Stats.quantile(r, 0.99), r.size(), sim.repairsOutstanding());
        System.out.printf("control bytes per member per second    %.1f  (probes %.1f, acks/parts-done/confirms %.1f, anti-entropy %.1f)%n",
                w.bytes(Experiments.CONTROL_TYPES) / (sim.liveCount() * seconds),
                w.bytes(Experiments.PROBE_TYPES) / (sim.liveCount() * seconds),
                w.bytes(Experiments.BROADCAST_CONTROL_TYPES) / (sim.liveCount() * seconds),
                w.bytes(Experiments.SYNC_TYPES) / (sim.liveCount() * seconds));
        System.out.printf("false downs (live members taken for down) %d%n", sim.falseDowns());
        System.out.printf("virtual time %.1f s, %,d events, wall-clock %.1f s%n", sim.now() / 1000.0, sim.loop().executed(), wall);
    }
}
