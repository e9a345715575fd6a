package org.ringchat.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The harness works for every system: three members form a group, and a short phase counts broadcasts
 * delivered to all with latencies and CPU. Whether the figures are good is the benchmark's business,
 * not a test's.
 */
class HarnessSmokeTest {

    /** Away from the benchmark's own 7800, so that a test may run beside a benchmark. */
    private static final int JGROUPS_PORT = 8200;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Cell.Kind.class)
    void threeMembersDeliverBroadcastsToAllAndTheHarnessMeasuresThem(Cell.Kind system) throws Exception {
        Cell cell = new Cell(system, 3, 1024, 3);
        PhaseRunner.SinkSwitch sink = new PhaseRunner.SinkSwitch();
        CpuMeter.Span setup = new CpuMeter.Span();
        try (Cluster cluster = cell.open(sink, dir.resolve("nodes"), JGROUPS_PORT)) {
            setup.stop();
            if (system == Cell.Kind.RINGCHAT) {
                assertTrue(cluster.formHandshakes() >= 4, "both ends of the owner's connections to the two invitees: "
                        + cluster.formHandshakes() + " TLS handshakes");
            }
            PhaseResult result = new PhaseRunner(cluster, cell, sink).run("load", 8, 3, 0.5, 1, 0);
            assertEquals("ok", result.status());
            assertTrue(result.broadcasts() > 0, "broadcasts delivered to all: " + result.broadcasts());
            assertTrue(result.p99Millis() >= result.p50Millis(), "p50 " + result.p50Millis() + ", p99 " + result.p99Millis());
            assertTrue(result.cpuMicros() > 0, "CPU per broadcast: " + result.cpuMicros());
            double shares = result.cpuShares().values().stream().mapToDouble(Double::doubleValue).sum();
            assertEquals(1, shares, 1e-9, "the categories share out all of the CPU: " + result.cpuShares());
            assertTrue(result.formSeconds() > 0, "formed in " + result.formSeconds() + " s");
        }
    }
}
