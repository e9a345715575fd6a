package org.ringchat.stores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The message log's workload on each candidate (docs/STORAGE.md). Short runs, for a shared 2-core
 * machine: one fork, 2 warm-up and 3 measured iterations of 1 s. Times are per operation: one commit of
 * {@code batch} records for the appends, one page for the reads, 16 status changes and their commit.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g",
        // Chronicle Queue otherwise sends usage analytics to a public server
        "-Dchronicle.analytics.disable=true",
        // what Chronicle Queue needs on Java 17 (docs/STORAGE.md: "Chronicle Queue")
        "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED", "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
        "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreBenchmarks {

    static final int GROUPS = 4;
    static final int PRELOADED = 20_000;
    static final int MESSAGE_BYTES = 1024;
    static final int STATUS_BYTES = 8;
    static final int PAGE = 50;

    /** Appending: a commit of {@code batch} 1 KB messages of one group, with or without an fsync. */
    @State(Scope.Benchmark)
    public static class Appending {
        @Param({"mvstore", "rocksdb", "lmdb", "chronicle", "messagelog"})
        String store;
        @Param({"1", "16", "64"})
        int batch;
        @Param({"false", "true"})
        boolean fsync;

        Path dir;
        Candidate candidate;
        long next;
        final byte[] message = randomBytes(MESSAGE_BYTES, 1);
        final byte[] status = new byte[STATUS_BYTES];
        final SplittableRandom ids = new SplittableRandom(2);

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("ringchat-stores");
            candidate = Candidate.open(store, dir, fsync);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            candidate.close();
            delete(dir);
        }
    }

    /** Reading and status changes: 4 groups of 5,000 messages each written beforehand (80,000 status records in all). */
    @State(Scope.Benchmark)
    public static class Filled {
        @Param({"mvstore", "rocksdb", "lmdb", "chronicle", "messagelog"})
        String store;

        Path dir;
        Candidate candidate;
        final SplittableRandom random = new SplittableRandom(3);
        final byte[] status = new byte[STATUS_BYTES];

        @Setup(Level.Trial)
        public void fill() throws IOException {
            dir = Files.createTempDirectory("ringchat-stores");
            candidate = Candidate.open(store, dir, false);
            byte[] message = randomBytes(MESSAGE_BYTES, 1);
            SplittableRandom ids = new SplittableRandom(2);
            for (int i = 0; i < PRELOADED; i++) {
                candidate.append(i % GROUPS, i / GROUPS, randomBytes(16, ids.nextLong()), message, status);
                if (i % 64 == 63) {
                    candidate.commit();
                }
            }
            candidate.commit();
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            candidate.close();
            delete(dir);
        }
    }

    @Benchmark
    public long appendAndCommit(Appending state) throws IOException {
        for (int i = 0; i < state.batch; i++) {
            state.candidate.append(0, state.next++, randomBytes(16, state.ids.nextLong()), state.message, state.status);
        }
        state.candidate.commit();
        return state.next;
    }

    @Benchmark
    public List<byte[]> latestPage(Filled state) throws IOException {
        return state.candidate.latest(state.random.nextInt(GROUPS), PRELOADED / GROUPS, PAGE);
    }

    @Benchmark
    public List<byte[]> catchUpPage(Filled state) throws IOException {
        return state.candidate.after(state.random.nextInt(GROUPS), state.random.nextInt(PRELOADED / GROUPS - PAGE), PAGE);
    }

    @Benchmark
    public void sixteenStatusChangesAndCommit(Filled state) throws IOException {
        for (int i = 0; i < 16; i++) {
            state.status[0]++;
            state.candidate.updateStatus(state.random.nextInt(GROUPS), state.random.nextInt(PRELOADED / GROUPS), state.status);
        }
        state.candidate.commit();
    }

    /** Closing and opening again a store of 20,000 messages: what a node's start costs (the log reads them all). */
    @Benchmark
    public void reopen(Filled state) throws IOException {
        state.candidate.close();
        state.candidate = Candidate.open(state.store, state.dir, false);
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
