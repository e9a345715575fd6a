package org.ringchat.jmh;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.ringchat.spi.StateStore;

/**
 * Storing a message record in the node's H2 MVStore: committed one by one, as the engine does before
 * every acknowledgement, or 64 to a commit (what a group commit would cost per message). The store and
 * its background threads are the node's; the time is the caller's, as the engine waits for the commit.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreBenchmark {

    private static final int GROUP_COMMIT = 64;

    @Param({"1200"})
    int recordBytes;

    private Scratch scratch;
    private StateStore.StoreMap messages;
    private byte[] record;
    private long seq;

    @Setup
    public void setUp() {
        scratch = new Scratch();
        messages = scratch.store().map("messages/bench");
        record = new byte[recordBytes];
        new Random(1).nextBytes(record);
    }

    @TearDown
    public void tearDown() {
        scratch.close();
    }

    @Benchmark
    public void putAndCommitEach() {
        messages.put(String.format("%016x", seq++), record);
        scratch.store().commit();
    }

    @Benchmark
    @OperationsPerInvocation(GROUP_COMMIT)
    public void putSixtyFourThenCommit() {
        for (int i = 0; i < GROUP_COMMIT; i++) {
            messages.put(String.format("%016x", seq++), record);
        }
        scratch.store().commit();
    }
}
