package org.ringchat.compare;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * CPU time of this process, of its threads by kind, and of the whole machine, at one moment; the
 * difference of two snapshots is what a phase cost. Threads of one kind differ only by numbers in their
 * names (ringchat-transport-3-1, ringchat-engine, ...); the JVM's own threads (garbage collector, JIT
 * compiler) are not Java threads: Linux names them ("GC Thread#0", "C2 CompilerThre"), and what is left of the
 * process time is the JVM's other threads.
 */
final class CpuMeter {

    static final String GC_THREADS = "(JVM: GC)";
    static final String JIT_THREADS = "(JVM: JIT)";
    static final String OTHER_VM_THREADS = "(JVM: other)";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** HotSpot's names for the worker threads of G1 and Parallel GC, and for the C1 and C2 compilers. */
    private static final Pattern GC_THREAD = Pattern.compile("GC Thread|G1 |G1_");
    private static final Pattern JIT_THREAD = Pattern.compile("C[12] CompilerThre|C[12] Compiler");
    /** Linux counts /proc/stat in these ticks. */
    private static final double TICKS_PER_SECOND = 100;

    /**
     * @param threadNanos   CPU time of the Java threads by kind, user and system
     * @param javaUserNanos user time of all Java threads: the part that execution samples can see
     */
    record Snapshot(long wallNanos, long processNanos, Map<String, Long> threadNanos, long javaUserNanos,
                    double gcSeconds, double jitSeconds, double machineBusySeconds, double loadAverage) {

        /** Process CPU seconds from {@code earlier} to this one. */
        double processSecondsSince(Snapshot earlier) {
            return (processNanos - earlier.processNanos) / 1e9;
        }

        double wallSecondsSince(Snapshot earlier) {
            return (wallNanos - earlier.wallNanos) / 1e9;
        }

        /** Cores' worth of CPU that other processes used meanwhile: how quiet the machine was. */
        double foreignCoresSince(Snapshot earlier) {
            double busy = machineBusySeconds - earlier.machineBusySeconds;
            return Math.max(0, (busy - processSecondsSince(earlier)) / wallSecondsSince(earlier));
        }

        /** CPU seconds by kind of thread, the JVM's own threads included. */
        Map<String, Double> threadSecondsSince(Snapshot earlier) {
            Map<String, Double> seconds = new TreeMap<>();
            double javaThreads = 0;
            for (Map.Entry<String, Long> e : threadNanos.entrySet()) {
                double s = (e.getValue() - earlier.threadNanos.getOrDefault(e.getKey(), 0L)) / 1e9;
                if (s > 0) {
                    seconds.put(e.getKey(), s);
                    javaThreads += s;
                }
            }
            double gc = gcSeconds - earlier.gcSeconds;
            double jit = jitSeconds - earlier.jitSeconds;
            seconds.put(GC_THREADS, gc);
            seconds.put(JIT_THREADS, jit);
            seconds.put(OTHER_VM_THREADS, Math.max(0, processSecondsSince(earlier) - javaThreads - gc - jit));
            return seconds;
        }

        /**
         * CPU seconds by {@link CpuCategory}: the JVM's threads as measured, the Java threads' system time as
         * the kernel's, and their user time shared out in proportion to the execution samples of each category.
         */
        Map<String, Double> categorySecondsSince(Snapshot earlier, Map<String, Long> samples) {
            Map<String, Double> threads = threadSecondsSince(earlier);
            double javaThreads = threads.entrySet().stream().filter(e -> !e.getKey().startsWith("(JVM: "))
                    .mapToDouble(Map.Entry::getValue).sum();
            double javaUser = Math.min(javaThreads, (javaUserNanos - earlier.javaUserNanos) / 1e9);
            double sampleCount = samples.values().stream().mapToLong(Long::longValue).sum();
            Map<String, Double> seconds = new TreeMap<>();
            seconds.put(CpuCategory.GC, threads.get(GC_THREADS));
            seconds.put(CpuCategory.JIT, threads.get(JIT_THREADS));
            seconds.put(CpuCategory.JVM_OTHER, threads.get(OTHER_VM_THREADS));
            seconds.put(CpuCategory.KERNEL, javaThreads - javaUser);
            if (sampleCount == 0) {
                seconds.merge(CpuCategory.OTHER, javaUser, Double::sum);
            }
            samples.forEach((category, count) -> seconds.merge(category, javaUser * count / sampleCount, Double::sum));
            return seconds;
        }
    }

    /** The CPU of a stretch of time, profiled so that it can be shared out by {@link CpuCategory}. */
    static final class Span {
        private final CpuProfile profile = CpuProfile.start();
        final Snapshot before = take();
        Snapshot after;
        private CpuProfile.Result profiled;

        void stop() {
            after = take();
            profiled = profile.stop();
        }

        double wallSeconds() {
            return after.wallSecondsSince(before);
        }

        double coresPerMember(int members) {
            return after.processSecondsSince(before) / wallSeconds() / members;
        }

        /** Each category's share of the process CPU, 0..1. */
        Map<String, Double> categoryShares() {
            Map<String, Double> seconds = after.categorySecondsSince(before, profiled.samples());
            double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
            Map<String, Double> shares = new TreeMap<>();
            seconds.forEach((category, s) -> shares.put(category, total > 0 ? s / total : Double.NaN));
            return shares;
        }
    }

    private CpuMeter() {
    }

    static Snapshot take() {
        Map<String, Long> byKind = new TreeMap<>();
        long user = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            user += Math.max(0, THREADS.getThreadUserTime(info.getThreadId()));
            if (cpu > 0) {
                byKind.merge(kind(info.getThreadName()), cpu, Long::sum);
            }
        }
        double[] vm = vmThreadSeconds();
        return new Snapshot(System.nanoTime(), OS.getProcessCpuTime(), byKind, user, vm[0], vm[1], machineBusySeconds(),
                loadAverage());
    }

    /** CPU seconds of this process's garbage collector and JIT compiler threads so far; zeros off Linux. */
    private static double[] vmThreadSeconds() {
        double gc = 0;
        double jit = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String name;
                String[] stat;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                    String line = Files.readString(task.resolve("stat"));
                    // The name in parentheses may hold spaces: the fields are counted after its end.
                    stat = line.substring(line.lastIndexOf(')') + 2).split(" ");
                } catch (IOException threadEnded) {
                    continue;
                }
                // utime and stime, fields 14 and 15 of stat, the 12th and 13th after the name.
                double seconds = (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / TICKS_PER_SECOND;
                if (GC_THREAD.matcher(name).lookingAt()) {
                    gc += seconds;
                } else if (JIT_THREAD.matcher(name).lookingAt()) {
                    jit += seconds;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new double[] {0, 0};
        }
        return new double[] {gc, jit};
    }

    /** A thread name without its numbers, and without what JGroups appends after a comma (channel, address). */
    static String kind(String name) {
        int comma = name.indexOf(',');
        String base = comma < 0 ? name : name.substring(0, comma);
        return base.replaceAll("[0-9]+", "#").replaceAll("#(-#)+", "#");
    }

    /** Seconds all cores were busy since boot (user, nice, system, irq, softirq, steal); NaN off Linux. */
    private static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double loadAverage() {
        return OS.getSystemLoadAverage();
    }
}
