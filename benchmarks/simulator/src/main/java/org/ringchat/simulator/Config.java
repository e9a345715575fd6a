package org.ringchat.simulator;

import org.ringchat.group.internal.AckTimeouts;
import org.ringchat.group.internal.FailureDetector;

/** The parameters of one simulated group. Mutable, for fluent set-up: set it up before a {@link Simulation} takes it; {@link #copy()} for variants. */
public final class Config {

    /** Members. */
    public int members = 1000;
    /** {@code naive}, {@code ring} or {@code tree}. */
    public String topology = "ring";
    public long seed = 1;
    /** One-way latency per ordered pair of members, uniform in [min, max] ms. */
    public int latencyMinMillis = 1;
    public int latencyMaxMillis = 10;
    /** Extra delay of each frame, uniform in [0, jitter] ms; frames between two members keep their order, as over TCP. */
    public int jitterMillis = 0;
    /** Probability that a frame is lost. */
    public double loss = 0;
    /** Faster than the node's 1–3 s, as the simulated links are (1–10 ms by default). */
    public AckTimeouts ackTimeouts = AckTimeouts.fixed(200);
    public long partTimeoutMillis = 2000;
    public FailureDetector.Settings probes = FailureDetector.Settings.defaults();
    /** Whether members run the anti-entropy model, and how often. */
    public boolean antiEntropy = true;
    public long antiEntropyIntervalMillis = 5000;
    /** How long a member waits for a SYNC_BATCH before trying the next member (the engine uses its invite timeout, 10 s). */
    public long syncStallMillis = 10_000;
    /** How long an author waits before offering again a message nobody took (the engine's retry interval). */
    public long retryIntervalMillis = 5000;
    /** Bytes of a message as its author wrote it (the CHAT frame's payload: a signed message). */
    public int payloadBytes = 256;
    /** Bytes of messages a SYNC_BATCH carries at most (the engine's budget: half of the 1 MiB frame limit). */
    public int maxBatchBytes = 512 * 1024;

    public Config members(int n) {
        members = n;
        return this;
    }

    public Config topology(String name) {
        topology = name;
        return this;
    }

    public Config seed(long s) {
        seed = s;
        return this;
    }

    public Config loss(double p) {
        loss = p;
        return this;
    }

    public Config ackTimeout(long ms) {
        ackTimeouts = AckTimeouts.fixed(ms);
        return this;
    }

    public Config ackTimeouts(AckTimeouts timeouts) {
        ackTimeouts = timeouts;
        return this;
    }

    /** One-way latency per ordered pair uniform in [min, max] ms, and each frame up to {@code jitter} ms more. */
    public Config latency(int min, int max, int jitter) {
        latencyMinMillis = min;
        latencyMaxMillis = max;
        jitterMillis = jitter;
        return this;
    }

    public Config partTimeout(long ms) {
        partTimeoutMillis = ms;
        return this;
    }

    public Config probes(FailureDetector.Settings settings) {
        probes = settings;
        return this;
    }

    public Config antiEntropy(boolean on) {
        antiEntropy = on;
        return this;
    }

    public Config antiEntropyInterval(long ms) {
        antiEntropyIntervalMillis = ms;
        return this;
    }

    public Config copy() {
        Config c = new Config();
        c.members = members;
        c.topology = topology;
        c.seed = seed;
        c.latencyMinMillis = latencyMinMillis;
        c.latencyMaxMillis = latencyMaxMillis;
        c.loss = loss;
        c.jitterMillis = jitterMillis;
        c.ackTimeouts = ackTimeouts;
        c.partTimeoutMillis = partTimeoutMillis;
        c.probes = probes;
        c.antiEntropy = antiEntropy;
        c.antiEntropyIntervalMillis = antiEntropyIntervalMillis;
        c.syncStallMillis = syncStallMillis;
        c.retryIntervalMillis = retryIntervalMillis;
        c.payloadBytes = payloadBytes;
        c.maxBatchBytes = maxBatchBytes;
        return c;
    }

    @Override
    public String toString() {
        return String.format("N=%d topology=%s seed=%d latency=%d-%dms jitter=%dms loss=%.3f ack=%d-%dms part=%dms "
                        + "probes=%d/%d-%d/%d health<=%d antiEntropy=%s/%dms syncStall=%dms payload=%dB",
                members, topology, seed, latencyMinMillis, latencyMaxMillis, jitterMillis, loss, ackTimeouts.minMillis(),
                ackTimeouts.maxMillis(), partTimeoutMillis, probes.probeIntervalMillis(), probes.probeTimeoutMinMillis(),
                probes.probeTimeoutMaxMillis(), probes.indirectProbes(), probes.maxHealthScore(), antiEntropy,
                antiEntropyIntervalMillis, syncStallMillis, payloadBytes);
    }
}
