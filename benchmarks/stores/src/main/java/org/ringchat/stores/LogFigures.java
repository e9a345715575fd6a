package org.ringchat.stores;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.state.messages.MessageLog;

/**
 * Figures of the MessageLog that JMH on a loaded machine blurs, as CPU time of this thread and live heap:
 * the heap it keeps per stored message (after a full GC, before and after appending, by default, 200,000
 * messages of 1 KB in 4 groups, and again after reopening, the index rebuilt by the scan), the time and
 * CPU time of the reopening, and the CPU time of a page of 50 (latest, and after a random sequence).
 * Usage: LogFigures [messages]
 */
public final class LogFigures {

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path dir = Files.createTempDirectory("ringchat-logheap");
        try {
            GroupId[] groups = new GroupId[4];
            for (int g = 0; g < groups.length; g++) {
                byte[] id = new byte[GroupId.LENGTH];
                id[0] = (byte) g;
                groups[g] = GroupId.fromBytes(id);
            }
            byte[] message = StoreBenchmarks.randomBytes(1024, 1);
            SplittableRandom random = new SplittableRandom(2);
            long before = liveHeap();
            MessageLog log = MessageLog.open(dir, MessageLog.Settings.DEFAULT, d -> { });
            for (int i = 0; i < messages; i++) {
                log.append(groups[i % groups.length], MessageId.fromBytes(StoreBenchmarks.randomBytes(16, random.nextLong())),
                        message, new byte[8]);
                if (i % 64 == 63) {
                    log.commit();
                }
            }
            log.commit();
            long written = liveHeap();
            log.close();
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long start = System.nanoTime();
            long startCpu = threads.getCurrentThreadCpuTime();
            log = MessageLog.open(dir, MessageLog.Settings.DEFAULT, d -> { });
            long openMillis = (System.nanoTime() - start) / 1_000_000;
            long openCpuMillis = (threads.getCurrentThreadCpuTime() - startCpu) / 1_000_000;
            long reopened = liveHeap();
            System.out.printf("%d messages: live heap %+.1f B/message after appending, %+.1f B/message after reopening;"
                    + " reopening (reading and checking %d MB) took %d ms, %d ms of CPU%n", messages, (written - before) / (double) messages,
                    (reopened - before) / (double) messages, bytes(dir.resolve(MessageLog.DIRECTORY)) >> 20, openMillis, openCpuMillis);
            java.util.List<GroupId> pageGroups = java.util.List.of(groups);
            for (int round = 0; round < 3; round++) {
                long latestCpu = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < 2000; i++) {
                    log.latest(pageGroups.get(i % groups.length), 50);
                }
                latestCpu = threads.getCurrentThreadCpuTime() - latestCpu;
                long afterCpu = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < 2000; i++) {
                    log.after(pageGroups.get(i % groups.length), random.nextInt(messages / groups.length - 50), 50);
                }
                afterCpu = threads.getCurrentThreadCpuTime() - afterCpu;
                System.out.printf("round %d: CPU per page of 50: latest %d us, after a sequence %d us%n", round + 1,
                        latestCpu / 2000 / 1000, afterCpu / 2000 / 1000);
            }
            log.close();
        } finally {
            StoreBenchmarks.delete(dir);
        }
    }

    private static long bytes(Path directory) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.list(directory)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
