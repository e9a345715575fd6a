package org.ringchat.simulator;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.ringchat.group.internal.FrameType;
import org.ringchat.group.internal.Link;

/**
 * The in-memory network between the simulated members. Every ordered pair of members has its own fixed
 * one-way latency, drawn uniformly from [min, max] ms by hashing the pair with the seed (no N² table), so
 * frames between two members arrive in the order they were sent, as over one TCP connection. A frame may
 * be lost with a fixed probability, and delayed by a random jitter on top of the pair's latency, never
 * overtaking the pair's frame before. Frames to or from a crashed member vanish without any error: the
 * sender learns nothing, as with a host that dropped off the network.
 *
 * <p>Counts, per frame type, the frames and bytes that were sent (body plus the transport's 6-byte frame
 * header: length, version, type; TLS overhead is not counted).
 */
public final class Network {

    /** The transport's frame header: a 4-byte length, a version byte and a type byte. */
    public static final int FRAME_OVERHEAD = 6;

    private final Simulation sim;
    private final EventLoop loop;
    private final long seed;
    private final int latencyMin;
    private final int latencySpan;
    private final int jitter;
    private final double loss;
    private final Random lossRandom;
    private final Random jitterRandom;
    /** With jitter, when each ordered pair's last frame arrives (by the pair's indexes): no frame overtakes it. */
    private final Map<Long, Long> lastArrival = new HashMap<>();

    final long[] frames = new long[256];
    final long[] bytes = new long[256];
    long lost;

    Network(Simulation sim, EventLoop loop, long seed, int latencyMin, int latencyMax, int jitter, double loss) {
        this.sim = sim;
        this.loop = loop;
        this.seed = seed;
        this.latencyMin = latencyMin;
        this.latencySpan = latencyMax - latencyMin + 1;
        this.jitter = jitter;
        this.loss = loss;
        this.lossRandom = new Random(seed ^ 0x5DEECE66DL);
        this.jitterRandom = new Random(seed ^ 0x71773EL);
    }

    /** The one-way latency from one member to another, in ms. */
    public int latency(int from, int to) {
        long h = mix(seed * 0x9E3779B97F4A7C15L + ((long) from << 32 | (to & 0xffffffffL)));
        return latencyMin + (int) Math.floorMod(h, (long) latencySpan);
    }

    /** The {@link Link} a member sends through. */
    Link linkOf(SimNode node) {
        return (to, type, body, onFailure) -> {
            SimNode target = sim.node(to);
            if (target == null) {
                // Not a member: the transport would fail to connect.
                node.scheduler.schedule(0, onFailure);
                return;
            }
            send(node, target, type, body);
        };
    }

    void send(SimNode from, SimNode to, int type, byte[] body) {
        if (from.crashed) {
            return;
        }
        frames[type]++;
        bytes[type] += body.length + FRAME_OVERHEAD;
        if (type == FrameType.CHAT) {
            sim.countCopy(body);
        }
        if (loss > 0 && lossRandom.nextDouble() < loss) {
            lost++;
            return;
        }
        long delay = latency(from.index, to.index);
        if (jitter > 0) {
            long pair = (long) from.index << 32 | to.index;
            long arrival = Math.max(loop.now() + delay + jitterRandom.nextInt(jitter + 1), lastArrival.getOrDefault(pair, 0L));
            lastArrival.put(pair, arrival);
            delay = arrival - loop.now();
        }
        loop.after(delay, () -> {
            if (!to.crashed) {
                to.receive(from, type, body);
            }
        });
    }

    /** A snapshot of the counters, to take differences over a window. */
    public Counters counters() {
        return new Counters(frames.clone(), bytes.clone());
    }

    /** Frames and bytes sent per frame type. */
    public record Counters(long[] frames, long[] bytes) {

        public Counters minus(Counters earlier) {
            long[] f = frames.clone();
            long[] b = bytes.clone();
            for (int i = 0; i < f.length; i++) {
                f[i] -= earlier.frames[i];
                b[i] -= earlier.bytes[i];
            }
            return new Counters(f, b);
        }

        public long bytes(int... types) {
            long sum = 0;
            for (int t : types) {
                sum += bytes[t];
            }
            return sum;
        }

        public long frames(int... types) {
            long sum = 0;
            for (int t : types) {
                sum += frames[t];
            }
            return sum;
        }
    }

    /** SplitMix64's finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
