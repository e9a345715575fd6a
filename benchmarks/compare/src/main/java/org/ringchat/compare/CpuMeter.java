package org.ringchat.compare;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this process, of its threads by kind, and of the whole machine, at one moment; the
 * difference of two snapshots is what a phase cost. Threads of one kind differ only by numbers in their
 * names (ringchat-transport-3-1, ringchat-engine, ...); the JVM's own threads (garbage collector, JIT
 * compiler) are not Java threads: they are the process time not spent in any Java thread.
 */
final class CpuMeter {

    static final String VM_THREADS = "(JVM: GC, JIT, other)";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** Linux counts /proc/stat in these ticks. */
    private static final double TICKS_PER_SECOND = 100;

    record Snapshot(long wallNanos, long processNanos, Map<String, Long> threadNanos, double machineBusySeconds,
                    double loadAverage) {

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
            seconds.put(VM_THREADS, Math.max(0, processSecondsSince(earlier) - javaThreads));
            return seconds;
        }
    }

    private CpuMeter() {
    }

    static Snapshot take() {
        Map<String, Long> byKind = new TreeMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                byKind.merge(kind(info.getThreadName()), cpu, Long::sum);
            }
        }
        return new Snapshot(System.nanoTime(), OS.getProcessCpuTime(), byKind, machineBusySeconds(), loadAverage());
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
