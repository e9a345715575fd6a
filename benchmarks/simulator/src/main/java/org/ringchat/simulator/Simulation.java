package org.ringchat.simulator;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;
import org.ringchat.topology.ring.internal.RingTopology;
import org.ringchat.topology.tree.internal.TreeTopology;

/**
 * One group of simulated members on one virtual clock. Deterministic: every random choice (peer IDs, message
 * IDs, latencies, losses, the detectors' nonces and helpers, start-up offsets, who crashes, who writes)
 * comes from the seed, and the event loop breaks ties in scheduling order.
 */
public final class Simulation {

    final Config config;
    final EventLoop loop = new EventLoop();
    final Network network;
    final GroupId group;
    final byte[] groupBytes;
    final Ring ring;
    final SimNode[] nodes;
    private final Map<PeerId, SimNode> byPeer;
    /** The same, by the very PeerId instances of the ring (which the topologies hand out): no hashing of 32 bytes. */
    private final Map<PeerId, SimNode> byInstance;
    private final Topology topology;
    /** Experiment choices (who crashes, who writes); the members' own randomness is seeded apart. */
    final Random random;

    final List<Msg> messages = new ArrayList<>();
    private final Map<MessageId, Msg> byId = new HashMap<>();
    /** Per author, its messages in sequence order; iteration in order of first message. */
    final Map<Integer, List<Msg>> byAuthor = new LinkedHashMap<>();
    private int liveCount;

    // Failure detection and repair records.
    private final long[] crashedAt;
    /** Per crashed member, the members that watched it when it crashed. */
    private final Map<Integer, int[]> watchersAtCrash = new HashMap<>();
    /** First detection per (watcher, crashed) pair: virtual ms after the crash. */
    private final Map<Long, Long> detections = new HashMap<>();
    final List<Long> repairTimes = new ArrayList<>();
    long falseDowns;
    long ups;

    public Simulation(Config config) {
        this.config = config;
        this.random = new Random(config.seed);
        this.network = new Network(this, loop, config.seed, config.latencyMinMillis, config.latencyMaxMillis,
                config.jitterMillis, config.loss);
        this.topology = switch (config.topology) {
            case "ring" -> new RingTopology();
            case "tree" -> new TreeTopology();
            case "naive" -> new NaiveRingTopology();
            default -> throw new IllegalArgumentException("unknown topology " + config.topology + " (naive, ring, tree)");
        };
        Random ids = new Random(Network.mix(config.seed ^ 0x1D5));
        byte[] g = new byte[GroupId.LENGTH];
        ids.nextBytes(g);
        this.group = GroupId.fromBytes(g);
        this.groupBytes = g;
        List<PeerId> peers = new ArrayList<>(config.members);
        for (int i = 0; i < config.members; i++) {
            byte[] p = new byte[PeerId.LENGTH];
            ids.nextBytes(p);
            peers.add(PeerId.fromBytes(p));
        }
        // One ring for everyone: every member would build the same one from the same member list.
        this.ring = Ring.of(group, peers);
        // Member i is the one at ring position i, so indices read as positions in the reports.
        this.nodes = new SimNode[config.members];
        this.byPeer = new HashMap<>(config.members * 2);
        this.byInstance = new IdentityHashMap<>(config.members * 2);
        for (int i = 0; i < config.members; i++) {
            nodes[i] = new SimNode(this, i, ring.at(i));
            byPeer.put(nodes[i].id, nodes[i]);
            byInstance.put(nodes[i].id, nodes[i]);
        }
        this.crashedAt = new long[config.members];
        java.util.Arrays.fill(crashedAt, -1);
        this.liveCount = config.members;
    }

    /** Every member joins at time 0 (and probes its links at once), then starts its timers at a random offset. */
    public Simulation start() {
        Random offsets = new Random(Network.mix(config.seed ^ 0x57A27));
        for (SimNode node : nodes) {
            node.join(group, ring);
        }
        for (SimNode node : nodes) {
            node.scheduler.schedule(offsets.nextInt((int) config.probes.probeIntervalMillis()), node.detector::start);
            if (config.antiEntropy) {
                long first = config.antiEntropyIntervalMillis + offsets.nextInt((int) config.antiEntropyIntervalMillis);
                node.scheduler.schedule(first, node::antiEntropy);
            }
        }
        return this;
    }

    public void runUntil(long time) {
        loop.runUntil(time);
    }

    public void runFor(long millis) {
        loop.runUntil(loop.now() + millis);
    }

    public long now() {
        return loop.now();
    }

    public int size() {
        return nodes.length;
    }

    public Network network() {
        return network;
    }

    public EventLoop loop() {
        return loop;
    }

    public List<Msg> messages() {
        return messages;
    }

    public boolean isCrashed(int member) {
        return nodes[member].crashed;
    }

    public int liveCount() {
        return liveCount;
    }

    Topology topology() {
        return topology;
    }

    SimNode node(PeerId peer) {
        SimNode node = byInstance.get(peer);
        return node != null ? node : byPeer.get(peer);
    }

    boolean isMember(PeerId peer) {
        return byPeer.containsKey(peer);
    }

    int indexOf(PeerId peer) {
        return node(peer).index;
    }

    Msg message(MessageId id) {
        return byId.get(id);
    }

    // ---------------------------------------------------------------- actions

    /** The member writes a message now; returns it. */
    public Msg broadcast(int author) {
        SimNode node = nodes[author];
        if (node.crashed) {
            throw new IllegalArgumentException("member " + author + " is crashed");
        }
        byte[] idBytes = new byte[MessageId.LENGTH];
        random.nextBytes(idBytes);
        MessageId id = MessageId.fromBytes(idBytes);
        List<Msg> own = byAuthor.computeIfAbsent(author, k -> new ArrayList<>());
        long seq = own.size() + 1;
        byte[] payload = ByteBuffer.allocate(Math.max(config.payloadBytes, PeerId.LENGTH + 8))
                .put(node.idBytes).putLong(seq).array();
        Msg m = new Msg(messages.size(), id, author, seq, loop.now(), payload, nodes.length);
        messages.add(m);
        byId.put(id, m);
        own.add(m);
        node.dissemination.originate(group, id, payload);
        return m;
    }

    /** From now until {@code until}, a message every {@code intervalMillis} from a random live member. */
    public List<Msg> traffic(long intervalMillis, long until) {
        List<Msg> sent = new ArrayList<>();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (loop.now() < until && liveCount > 0) {
                sent.add(broadcast(randomLive()));
                loop.after(intervalMillis, next[0]);
            }
        };
        loop.after(0, next[0]);
        return sent;
    }

    /** A random live member. */
    public int randomLive() {
        if (liveCount == 0) {
            throw new IllegalStateException("every member is crashed");
        }
        while (true) {
            int i = random.nextInt(nodes.length);
            if (!nodes[i].crashed) {
                return i;
            }
        }
    }

    /** Crashes members now: they stop at once, without a word; frames to them vanish. */
    public void crash(Collection<Integer> members) {
        long now = loop.now();
        for (int i : members) {
            if (!nodes[i].crashed) {
                nodes[i].crashed = true;
                crashedAt[i] = now;
                liveCount--;
            }
        }
        Map<Integer, List<Integer>> watchers = new HashMap<>();
        for (SimNode w : nodes) {
            if (w.crashed) {
                continue;
            }
            for (PeerId p : w.detector.watched()) {
                SimNode d = byPeer.get(p);
                if (d.crashed && crashedAt[d.index] == now) {
                    watchers.computeIfAbsent(d.index, k -> new ArrayList<>()).add(w.index);
                }
            }
        }
        watchers.forEach((d, ws) -> watchersAtCrash.put(d, ws.stream().mapToInt(Integer::intValue).toArray()));
    }

    /** Picks {@code count} distinct random members to crash, avoiding those listed. */
    public List<Integer> pickMembers(int count, Collection<Integer> avoid) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < nodes.length; i++) {
            if (!nodes[i].crashed && !avoid.contains(i)) {
                candidates.add(i);
            }
        }
        java.util.Collections.shuffle(candidates, random);
        return new ArrayList<>(candidates.subList(0, Math.min(count, candidates.size())));
    }

    // ---------------------------------------------------------------- records

    /** A CHAT body: the link's epoch and the CHAT's number on it (8 bytes each), the group ID, the message ID, ... */
    void countCopy(byte[] chatBody) {
        int id = 16 + GroupId.LENGTH;
        Msg m = byId.get(MessageId.fromBytes(java.util.Arrays.copyOfRange(chatBody, id, id + MessageId.LENGTH)));
        if (m != null) {
            m.copies++;
        }
    }

    void deliver(Msg m, SimNode node, byte via, int depth) {
        m.heldAt[node.index] = loop.now();
        m.via[node.index] = via;
        m.depth[node.index] = (short) depth;
    }

    void detected(SimNode watcher, PeerId peer) {
        SimNode d = byPeer.get(peer);
        if (!d.crashed) {
            falseDowns++;
            return;
        }
        detections.putIfAbsent((long) watcher.index * nodes.length + d.index, loop.now() - crashedAt[d.index]);
    }

    void cameUp(SimNode watcher, PeerId peer) {
        ups++;
    }

    void repaired(SimNode watcher, SimNode replacement, long dead, long millis) {
        repairTimes.add(millis);
    }

    /** Detection times (ms after the crash) of every (watcher at crash time, crashed member) pair that was detected. */
    public List<Long> detectionTimes() {
        List<Long> times = new ArrayList<>();
        watchersAtCrash.forEach((d, ws) -> {
            for (int w : ws) {
                if (nodes[w].crashed) {
                    continue;
                }
                Long t = detections.get((long) w * nodes.length + d);
                if (t != null) {
                    times.add(t);
                }
            }
        });
        return times;
    }

    /** (watcher at crash time, crashed member) pairs whose watcher is still live. */
    public int watchPairs() {
        int pairs = 0;
        for (Map.Entry<Integer, int[]> e : watchersAtCrash.entrySet()) {
            for (int w : e.getValue()) {
                if (!nodes[w].crashed) {
                    pairs++;
                }
            }
        }
        return pairs;
    }

    public List<Long> repairTimes() {
        return repairTimes;
    }

    public long falseDowns() {
        return falseDowns;
    }

    /** Replacement links a watcher took on that have not been heard from yet (they may be dead too). */
    public int repairsOutstanding() {
        int n = 0;
        for (SimNode node : nodes) {
            if (!node.crashed) {
                n += node.awaitingRepair.size();
            }
        }
        return n;
    }
}
