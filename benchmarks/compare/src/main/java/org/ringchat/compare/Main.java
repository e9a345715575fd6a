package org.ringchat.compare;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Runs ringchat and JGroups (plain, and with SYM_ENCRYPT) side by side in this JVM on loopback, cell by
 * cell, and writes what they measured; see docs/BENCHMARKS.md. Each cell starts its members afresh and
 * closes them after; the three systems of one configuration run one after the other, so that they see
 * the same conditions.
 */
public final class Main {

    private static final String USAGE = """
            usage: benchmarks/compare-jgroups [options]
              --systems LIST      ringchat,jgroups,jgroups+enc (default: all three)
              --members LIST      group sizes (default 10,50); a size given again runs its cells again in
                                  this JVM (10,10,10): the last run is judged, the earlier ones warm up
              --repeat K          runs every cell K times in a row, the last one judged (default 1)
              --payloads LIST     payload bytes (default 100,1024,16384)
              --senders LIST      1 and/or all (default 1,all)
              --window N          broadcasts under way at once, all senders together (default 128)
              --warmup S          seconds of warm-up before each measured part (default 2)
              --measure S         seconds measured with the window full (default 6)
              --light S           seconds measured one broadcast at a time, 1-sender cells (default 2; 0: none)
              --idle S            seconds measured with nobody sending, before the load (default 0: none)
              --receiver          also one sender and one receiver (N=2, 1 KB): the rate one member takes
              --label NAME        writes docs/benchmarks/compare-NAME.{csv,md} and -details.csv (default: run)
              --out DIR           where to write (default: docs/benchmarks of the checkout)
              --jgroups-port P    first JGroups port (default 7800)
            """;

    /**
     * Time after a group formed and before the first phase: ringchat's members move their links 3 s after
     * the last join, then connect them, and the probe interval of each stretches to the longest over about
     * 4 s, so that the idle phase measures the steady state.
     */
    private static final long SETTLE_MILLIS = 8000;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options == null) {
            System.out.print(USAGE);
            return;
        }
        List<Cell> cells = options.cells();
        Report report = new Report(options.out(), options.label(), Instant.now());
        Path log = logToFile(options.label());
        System.out.printf("%d cells; %s; JGroups %s, SYM_ENCRYPT %s; writing %s; the members log to %s%n",
                cells.size(), Report.machine(), org.jgroups.Version.printVersion(),
                JGroupsCluster.encryptionAlgorithm(), report.csvFile(), log);
        long start = System.nanoTime();
        for (Cell cell : cells) {
            long cellStart = System.nanoTime();
            for (PhaseResult result : runCell(cell, options)) {
                report.add(result);
                System.out.println(Report.line(result));
            }
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("  (%.0f s; heap in use after the cell %d MB)%n", (System.nanoTime() - cellStart) / 1e9,
                    (rt.totalMemory() - rt.freeMemory()) >> 20);
            report.write();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        report.finish(took);
        System.out.printf("done in %d min %02d s; %s, %s%n", took.toMinutes(), took.toSecondsPart(),
                report.csvFile(), report.markdownFile());
        // Closed members leave threads behind (JGroups' timers, H2's), which would keep the JVM up.
        System.exit(0);
    }

    /**
     * Sends the members' logging (ringchat's and JGroups' both go to java.util.logging) to a file, so that
     * the console shows the figures; warnings there are worth a look after a run.
     */
    private static Path logToFile(String label) throws java.io.IOException {
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "compare-" + label + ".log");
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        FileHandler file = new FileHandler(log.toString());
        file.setFormatter(new SimpleFormatter());
        root.addHandler(file);
        root.setLevel(Level.INFO);
        return log;
    }

    private static List<PhaseResult> runCell(Cell cell, Options options) throws InterruptedException {
        try (ScratchDirectory dir = new ScratchDirectory("ringchat-compare-")) {
            return runCell(cell, options, dir.path());
        }
    }

    private static List<PhaseResult> runCell(Cell cell, Options options, Path dir) throws InterruptedException {
        List<PhaseResult> results = new ArrayList<>();
        PhaseRunner.SinkSwitch sink = new PhaseRunner.SinkSwitch();
        Cluster cluster;
        CpuMeter.Span span = new CpuMeter.Span();
        try {
            cluster = cell.open(sink, dir, options.jgroupsPort());
        } catch (Exception e) {
            results.add(PhaseResult.failed(cell, "load", "could not form: " + e, Double.NaN));
            return results;
        } finally {
            span.stop();
        }
        double setup = span.wallSeconds();
        results.add(PhaseResult.withoutBroadcasts(cell, "setup", span, setup, cluster.formSeconds(),
                Map.of(PhaseResult.TLS_HANDSHAKES, (double) cluster.formHandshakes())));
        try {
            // New members open their links and probe them first: TLS handshakes, not what is measured.
            Thread.sleep(SETTLE_MILLIS);
            PhaseRunner runner = new PhaseRunner(cluster, cell, sink);
            if (options.idle() > 0) {
                results.add(runner.idle(options.idle(), setup));
            }
            results.add(runner.run("load", options.window(), cell.senders(), options.warmup(), options.measure(), setup));
            if (cell.senders() == 1 && options.light() > 0) {
                results.add(runner.run("light", 1, 1, 1, options.light(), setup));
            }
        } catch (RuntimeException e) {
            results.add(PhaseResult.failed(cell, "load", "failed: " + e, setup));
        } finally {
            try {
                cluster.close();
            } catch (RuntimeException e) {
                System.err.println(cell.describe() + ": closing failed: " + e);
            }
        }
        return results;
    }

    /** The command line. */
    record Options(List<Cell.Kind> systems, List<Integer> members, List<Integer> payloads, List<String> senders,
                   int repeat, int window, double warmup, double measure, double light, double idle,
                   boolean receiver, String label, Path out, int jgroupsPort) {

        /** The options given, or null when only help was asked for. */
        static Options parse(String[] args) {
            List<Cell.Kind> systems = List.of(Cell.Kind.values());
            List<Integer> members = List.of(10, 50);
            List<Integer> payloads = List.of(100, 1024, 16384);
            List<String> senders = List.of("1", "all");
            int repeat = 1;
            int window = 128;
            double warmup = 2;
            double measure = 6;
            double light = 2;
            double idle = 0;
            boolean receiver = false;
            String label = "run";
            Path out = Path.of(System.getProperty("compare.home", "."), "docs", "benchmarks");
            int port = 7800;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("--help") || arg.equals("-h")) {
                    return null;
                }
                if (arg.equals("--receiver")) {
                    receiver = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(arg + " needs a value");
                }
                String value = args[++i];
                switch (arg) {
                    case "--systems" -> systems = Arrays.stream(value.split(",")).map(Cell.Kind::of).toList();
                    case "--members" -> members = ints(value);
                    case "--payloads" -> payloads = ints(value);
                    case "--senders" -> senders = Arrays.stream(value.split(",")).map(s -> {
                        if (!s.equals("1") && !s.equals("all")) {
                            throw new IllegalArgumentException("--senders takes 1 and/or all, not " + s);
                        }
                        return s;
                    }).toList();
                    case "--repeat" -> repeat = Integer.parseInt(value);
                    case "--window" -> window = Integer.parseInt(value);
                    case "--warmup" -> warmup = Double.parseDouble(value);
                    case "--measure" -> measure = Double.parseDouble(value);
                    case "--light" -> light = Double.parseDouble(value);
                    case "--idle" -> idle = Double.parseDouble(value);
                    case "--label" -> label = value;
                    case "--out" -> out = Path.of(value);
                    case "--jgroups-port" -> port = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (repeat < 1) {
                throw new IllegalArgumentException("--repeat takes a count from 1, not " + repeat);
            }
            return new Options(systems, members, payloads, senders, repeat, window, warmup, measure, light, idle,
                    receiver, label, out, port);
        }

        private static List<Integer> ints(String value) {
            return Arrays.stream(value.split(",")).map(Integer::parseInt).toList();
        }

        /**
         * Every configuration, the systems of one configuration next to each other, each as often as asked;
         * a configuration met again is numbered as a repetition of the first.
         */
        List<Cell> cells() {
            List<Cell> once = new ArrayList<>();
            if (receiver) {
                systems.forEach(s -> once.add(new Cell(s, 2, 1024, 1)));
            }
            for (int n : members) {
                for (int payload : payloads) {
                    for (String s : senders) {
                        for (Cell.Kind system : systems) {
                            once.add(new Cell(system, n, payload, s.equals("1") ? 1 : n));
                        }
                    }
                }
            }
            List<Cell> runs = new ArrayList<>();
            once.forEach(cell -> runs.addAll(Collections.nCopies(repeat, cell)));
            List<Cell> cells = new ArrayList<>();
            for (Cell cell : runs) {
                int repetition = 1 + (int) cells.stream().filter(cell::sameConfiguration).count();
                int repetitions = (int) runs.stream().filter(cell::sameConfiguration).count();
                cells.add(new Cell(cell.system(), cell.members(), cell.payload(), cell.senders(), repetition, repetitions));
            }
            return cells;
        }
    }
}
