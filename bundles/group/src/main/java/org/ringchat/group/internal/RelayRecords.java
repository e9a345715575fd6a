package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.Reachability;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.spi.Relaying;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Transport;

/**
 * Relaying as the group layer knows it: the transport relays and dials back only for members of a shared
 * group; a member nobody can dial reserves at reachable members, its ring successors first, and sends every
 * member a signed, expiring record naming the relays that took it (RELAY_RECORD); and a member that
 * wants to reach it asks one of those. The transport asks from its network threads, hence the concurrent map.
 */
final class RelayRecords implements Relaying {

    private static final System.Logger LOG = System.getLogger(RelayRecords.class.getName());
    /** How long a record holds; it is sent again well before. */
    static final Duration LIFETIME = Duration.ofMinutes(10);
    static final Duration REFRESH = Duration.ofMinutes(1);

    private final NodeIdentity identity;
    private final Transport transport;
    private final Groups groups;
    private final PeerDirectory directory;
    private final PeerFrames frames;
    private final EngineLoop loop;
    private final Map<PeerId, RelayRecord> records = new ConcurrentHashMap<>();
    /** The relays this node last published; republished when they change, else every {@link #REFRESH}. */
    private List<PeerAddress> published = List.of();

    RelayRecords(NodeIdentity identity, Transport transport, Groups groups, PeerDirectory directory, PeerFrames frames,
                 EngineLoop loop) {
        this.identity = identity;
        this.transport = transport;
        this.groups = groups;
        this.directory = directory;
        this.frames = frames;
        this.loop = loop;
    }

    /** Refreshes this node's relays and record now and every {@link #REFRESH}. */
    void start() {
        refresh(true);
        loop.schedule(REFRESH.toMillis(), this::start);
    }

    // ---------------------------------------------------------------- Relaying, on network threads

    @Override
    public boolean shareGroup(PeerId a, PeerId b) {
        return directory.shareGroup(a, b);
    }

    @Override
    public List<PeerAddress> relaysOf(PeerId peer) {
        RelayRecord record = records.get(peer);
        if (record == null || record.expiresAtMillis() <= loop.nowMillis()) {
            return List.of();
        }
        return record.relays().stream().filter(relay -> !relay.peerId().equals(identity.peerId())).toList();
    }

    @Override
    public void reachabilityChanged(Reachability now) {
        loop.execute(() -> refresh(false), () -> { });
    }

    // ---------------------------------------------------------------- on the engine's loop

    /** The groups changed: members that left are forgotten, new ones learn this node's record. */
    void stateChanged(Group group) {
        records.keySet().removeIf(peer -> !directory.knows(peer));
        refresh(true);
    }

    private void refresh(boolean sendAgain) {
        transport.useRelays(candidates());
        Reachability reachability = transport.reachability();
        List<PeerAddress> relays = reachability.status() == Reachability.Status.NOT_DIALABLE
                ? reachability.relays().stream().map(directory::address).filter(Objects::nonNull).toList()
                : List.of();
        if (relays.isEmpty() || (!sendAgain && relays.equals(published))) {
            return;
        }
        published = relays;
        RelayRecord record = RelayRecord.sign(identity, loop.nowMillis() + LIFETIME.toMillis(), relays);
        LOG.log(DEBUG, "telling the members that this node is reached through {0}", relays);
        sendToMembers(record, identity.peerId());
    }

    /** Sends a record to every member but its own and {@code except}; one that cannot be dialled gets it when it can. */
    private void sendToMembers(RelayRecord record, PeerId except) {
        byte[] body = record.encode();
        for (PeerId peer : directory.peers()) {
            if (!peer.equals(identity.peerId()) && !peer.equals(record.peer()) && !peer.equals(except)) {
                frames.send(directory.address(peer), FrameType.RELAY_RECORD, body);
            }
        }
    }

    /** The members that may relay for this node, best first: each group's ring successors, nearest first. */
    private List<PeerAddress> candidates() {
        Set<PeerId> ordered = new LinkedHashSet<>();
        for (Group group : groups.all()) {
            Ring ring = Ring.of(group.info.id(), group.info.members().stream().map(m -> m.peerId()).toList());
            for (int step = 1; step < ring.size(); step++) {
                ordered.add(ring.after(identity.peerId(), step));
            }
        }
        List<PeerAddress> candidates = new ArrayList<>();
        for (PeerId peer : ordered) {
            // A member that cannot be dialled itself cannot relay.
            if (!records.containsKey(peer) && directory.address(peer) != null) {
                candidates.add(directory.address(peer));
            }
        }
        return candidates;
    }

    /**
     * A relay passes a new record of a member it relays for to the others: a member that cannot be dialled
     * either cannot get it from that member directly, while it is connected to the relay.
     */
    private void passOnAsRelay(PeerId from, RelayRecord record) {
        if (record.relays().stream().anyMatch(relay -> relay.peerId().equals(identity.peerId()))) {
            sendToMembers(record, from);
        }
    }

    void onRecord(PeerId from, RelayRecord record) {
        PeerId peer = record.peer();
        long now = loop.nowMillis();
        if (!directory.knows(peer) || peer.equals(identity.peerId())) {
            LOG.log(DEBUG, "ignored a relay record of {0}, not another member, from {1}", peer, from);
        } else if (record.expiresAtMillis() <= now || record.expiresAtMillis() > now + 2 * LIFETIME.toMillis()) {
            LOG.log(WARNING, "rejected a relay record of {0} from {1}: it expires at {2}, not within {3} of now",
                    peer, from, record.expiresAtMillis(), 2 * LIFETIME.toMinutes() + " min");
        } else if (!record.verify(identity)) {
            LOG.log(WARNING, "rejected a relay record of {0} from {1}: the signature does not match", peer, from);
        } else {
            RelayRecord held = records.get(peer);
            if (held == null || held.expiresAtMillis() < record.expiresAtMillis()) {
                records.put(peer, record);
                if (held == null || !held.relays().equals(record.relays())) {
                    LOG.log(INFO, "{0} cannot be dialled; it is reached through {1}", peer.shortText(), record.relays());
                    passOnAsRelay(from, record);
                }
            }
        }
    }
}
