package org.ringchat.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.group.internal.AntiEntropy;
import org.ringchat.group.internal.Dissemination;
import org.ringchat.group.internal.FailureDetector;
import org.ringchat.group.internal.FrameType;
import org.ringchat.group.internal.Link;
import org.ringchat.group.internal.Scheduler;
import org.ringchat.spi.Ring;

/**
 * One simulated member: the real {@link FailureDetector} and {@link Dissemination} on a virtual clock and
 * an in-memory link, wired as the node's engine wires them (every frame received first counts as a sign
 * of life, then goes to the detector or the broadcast). The engine's message store is replaced by the
 * simulator's table ({@link Msg}), and its SYNC_REQUEST/SYNC_BATCH catch-up by a model of it (see
 * {@link #antiEntropy()}).
 */
final class SimNode implements Dissemination.Host {

    final Simulation sim;
    final int index;
    final PeerId id;
    final byte[] idBytes;
    final VirtualScheduler scheduler;
    final Link link;
    final FailureDetector detector;
    final Dissemination dissemination;
    boolean crashed;

    // Anti-entropy, as the engine's startSync / requestNextBatch / abandonSync / onSyncRequest / onSyncBatch.
    private int antiEntropyRounds;
    private SimNode syncPeer;
    private Scheduler.Timer syncStall;

    // Measurement of repairs: the members this node watched after its last detector event, and the new
    // ones it took on when a watched member went down, by the time of that detection.
    private Set<PeerId> lastWatched = Set.of();
    final Map<PeerId, long[]> awaitingRepair = new HashMap<>();

    SimNode(Simulation sim, int index, PeerId id) {
        this.sim = sim;
        this.index = index;
        this.id = id;
        this.idBytes = id.toBytes();
        this.scheduler = new VirtualScheduler(sim.loop, this);
        this.link = sim.network.linkOf(this);
        Random random = new Random(Network.mix(sim.config.seed * 31 + index));
        this.detector = new FailureDetector(link, scheduler, sim.config.probes, random, sim::isMember);
        Dissemination.Settings settings = new Dissemination.Settings(sim.config.partTimeoutMillis);
        this.dissemination = new Dissemination(id, link, scheduler, detector, sim::topology, this,
                peer -> sim.config.ackTimeouts.forProbeTimeout(detector.probeTimeoutMillis(peer)), settings);
        // Registered after the broadcast's own listener, so it sees the links the broadcast repaired.
        detector.addListener(new FailureDetector.Listener() {
            @Override
            public void down(PeerId peer) {
                sim.detected(SimNode.this, peer);
                Set<PeerId> now = detector.watched();
                for (PeerId p : now) {
                    if (!lastWatched.contains(p)) {
                        awaitingRepair.put(p, new long[] {sim.loop.now(), sim.indexOf(peer)});
                    }
                }
                lastWatched = now;
            }

            @Override
            public void up(PeerId peer) {
                sim.cameUp(SimNode.this, peer);
                lastWatched = detector.watched();
            }
        });
    }

    void join(GroupId group, Ring ring) {
        dissemination.setRing(group, ring);
        lastWatched = detector.watched();
    }

    /** A frame arrived: as GroupEngine.handleFrame. */
    void receive(SimNode from, int type, byte[] body) {
        detector.heard(from.id);
        if (!awaitingRepair.isEmpty()) {
            long[] repair = awaitingRepair.remove(from.id);
            if (repair != null) {
                sim.repaired(this, from, repair[1], sim.loop.now() - repair[0]);
            }
        }
        switch (type) {
            case FrameType.CHAT, FrameType.ACKS, FrameType.PARTS_DONE, FrameType.CONFIRMS ->
                    dissemination.onFrame(from.id, type, body);
            case FrameType.PROBE, FrameType.PROBE_ACK, FrameType.PROBE_REQUEST -> detector.onFrame(from.id, type, body);
            case FrameType.SYNC_REQUEST -> onSyncRequest(from, body);
            case FrameType.SYNC_BATCH -> onSyncBatch(from, body);
            default -> throw new IllegalStateException("unexpected frame " + FrameType.name(type));
        }
    }

    // ---------------------------------------------------------------- Dissemination.Host

    @Override
    public Dissemination.Admission admit(PeerId from, GroupId group, MessageId id, byte[] payload) {
        Msg m = sim.message(id);
        if (m == null) {
            return Dissemination.Admission.REJECTED;
        }
        m.chats[index]++;
        if (m.heldAt[index] >= 0) {
            m.duplicates++;
            return Dissemination.Admission.DUPLICATE;
        }
        int sender = sim.indexOf(from);
        int senderDepth = m.depth[sender];
        sim.deliver(m, this, Msg.VIA_CHAT, senderDepth < 0 ? -1 : senderDepth + 1);
        return Dissemination.Admission.NEW;
    }

    @Override
    public void acknowledged(GroupId group, MessageId id, PeerId by) {
    }

    @Override
    public void completed(GroupId group, MessageId id, boolean taken, Dissemination.Missing missing) {
        Msg m = sim.message(id);
        if (!taken) {
            // As the engine: offer it again after the retry interval, until someone takes it.
            scheduler.schedule(sim.config.retryIntervalMillis, () -> {
                if (m.completedAt < 0) {
                    dissemination.originate(group, id, m.payload);
                }
            });
            return;
        }
        if (m.completedAt < 0) {
            m.completedAt = sim.loop.now();
            m.missingReported = missing.total();
        }
        dissemination.confirm(group, id, missing);
    }

    @Override
    public Dissemination.Confirmation confirmed(GroupId group, MessageId id, Dissemination.Missing missing) {
        Msg m = sim.message(id);
        if (m == null || !m.heldBy(index)) {
            return Dissemination.Confirmation.NOT_HELD; // as the engine: no record of it here
        }
        if (index == m.author) {
            return Dissemination.Confirmation.KNOWN;
        }
        Dissemination.Confirmation seen = Dissemination.Confirmation.of(m.confirmedMissing[index], missing.total());
        if (seen == Dissemination.Confirmation.NEWS) {
            if (m.confirmedMissing[index] < 0) {
                m.confirms++;
            }
            m.confirmedMissing[index] = missing.total();
        }
        return seen;
    }

    // ---------------------------------------------------------------- anti-entropy model

    /**
     * Every interval: ask a member this node is linked to ({@link AntiEntropy#partner}) for what this node
     * lacks, naming per author the highest sequence number up to which it holds everything. As the engine's
     * AntiEntropy, but with a per-author digest instead of the message graph's heads.
     */
    void antiEntropy() {
        antiEntropyRounds++;
        PeerId partner = AntiEntropy.partner(sim.ring, id, sim.topology(), detector::isDown, antiEntropyRounds);
        if (partner != null) {
            startSync(sim.node(partner));
        }
        scheduler.schedule(sim.config.antiEntropyIntervalMillis, this::antiEntropy);
    }

    private void startSync(SimNode peer) {
        if (syncPeer != null) {
            return;
        }
        syncPeer = peer;
        requestNextBatch();
    }

    private void requestNextBatch() {
        SimNode peer = syncPeer;
        syncStall = scheduler.schedule(sim.config.syncStallMillis, () -> abandonSync(peer));
        sim.network.send(this, peer, FrameType.SYNC_REQUEST, digest());
    }

    private void abandonSync(SimNode peer) {
        if (syncPeer != peer) {
            return;
        }
        syncStall.cancel();
        syncPeer = null;
        Ring ring = sim.ring;
        PeerId next = ring.after(peer.id, 1);
        if (!next.equals(id) && ring.distance(id, next) > ring.distance(id, peer.id)) {
            startSync(sim.node(next));
        }
    }

    /** Group ID, then per author this node holds messages of: peer ID and the sequence number held up to. */
    private byte[] digest() {
        List<int[]> marks = new ArrayList<>();
        for (Map.Entry<Integer, List<Msg>> e : sim.byAuthor.entrySet()) {
            int mark = highWaterMark(e.getValue());
            if (mark > 0) {
                marks.add(new int[] {e.getKey(), mark});
            }
        }
        ByteBuffer b = ByteBuffer.allocate(GroupId.LENGTH + 2 + marks.size() * (PeerId.LENGTH + 8));
        b.put(sim.groupBytes).putShort((short) marks.size());
        for (int[] mark : marks) {
            b.put(sim.nodes[mark[0]].idBytes).putLong(mark[1]);
        }
        return b.array();
    }

    /** The highest sequence number s such that this node holds the author's messages 1 to s. */
    private int highWaterMark(List<Msg> byAuthor) {
        int mark = 0;
        for (Msg m : byAuthor) {
            if (m.heldAt[index] < 0) {
                break;
            }
            mark = (int) m.seq;
        }
        return mark;
    }

    /** Answers with every message of an author above the asker's mark; asks back when the asker has more. */
    private void onSyncRequest(SimNode from, byte[] body) {
        ByteBuffer in = ByteBuffer.wrap(body, GroupId.LENGTH, body.length - GroupId.LENGTH);
        int count = Short.toUnsignedInt(in.getShort());
        Map<Integer, Long> marks = new HashMap<>(count * 2);
        byte[] peer = new byte[PeerId.LENGTH];
        for (int i = 0; i < count; i++) {
            in.get(peer);
            marks.put(sim.indexOf(PeerId.fromBytes(peer)), in.getLong());
        }
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        int sent = 0;
        int remaining = 0;
        int size = 0;
        boolean askerHasMore = false;
        for (Map.Entry<Integer, List<Msg>> e : sim.byAuthor.entrySet()) {
            long theirs = marks.getOrDefault(e.getKey(), 0L);
            if (theirs > highWaterMark(e.getValue())) {
                askerHasMore = true;
            }
            for (Msg m : e.getValue()) {
                if (m.seq > theirs && m.heldAt[index] >= 0) {
                    int length = MessageId.LENGTH + 4 + m.payload.length;
                    if (size + length > sim.config.maxBatchBytes) {
                        remaining++;
                        continue;
                    }
                    batch.writeBytes(m.id.toBytes());
                    batch.writeBytes(ByteBuffer.allocate(4).putInt(m.payload.length).array());
                    batch.writeBytes(m.payload);
                    size += length;
                    sent++;
                }
            }
        }
        ByteBuffer out = ByteBuffer.allocate(GroupId.LENGTH + 2 + 4 + 4 + size);
        out.put(sim.groupBytes).putShort((short) 0).putInt(remaining).putInt(sent).put(batch.toByteArray());
        sim.network.send(this, from, FrameType.SYNC_BATCH, out.array());
        if (askerHasMore) {
            startSync(from);
        }
    }

    private void onSyncBatch(SimNode from, byte[] body) {
        if (from != syncPeer) {
            return;
        }
        syncStall.cancel();
        ByteBuffer in = ByteBuffer.wrap(body, GroupId.LENGTH + 2, body.length - GroupId.LENGTH - 2);
        int remaining = in.getInt();
        int count = in.getInt();
        byte[] idBytes = new byte[MessageId.LENGTH];
        for (int i = 0; i < count; i++) {
            in.get(idBytes);
            int length = in.getInt();
            in.position(in.position() + length);
            Msg m = sim.message(MessageId.fromBytes(idBytes));
            if (m != null && m.heldAt[index] < 0) {
                sim.deliver(m, this, Msg.VIA_SYNC, -1);
            }
        }
        if (remaining > 0 && count > 0) {
            requestNextBatch();
        } else {
            syncPeer = null;
        }
    }
}
