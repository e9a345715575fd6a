package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.Presence;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;
import org.ringchat.wire.MalformedInputException;

/**
 * Whether the members of this node's groups are online, as far as this node knows: from what it hears of
 * them, their notices (PRESENCE) and the failure detector; and this node's own notices to its neighbours.
 * Only members have a presence: anyone can connect with a key of its own, and remembering them all would
 * let strangers fill this node's memory.
 */
final class MemberPresence {

    private static final System.Logger LOG = System.getLogger(MemberPresence.class.getName());
    private static final int ONLINE = 1;
    private static final int OFFLINE = 0;

    private final PeerId self;
    private final Groups groups;
    private final PeerDirectory directory;
    private final Dissemination dissemination;
    private final FailureDetector detector;
    private final Supplier<Topology> topology;
    private final PeerFrames frames;
    private final Events events;
    private final EngineLoop loop;
    private final Map<PeerId, Presence> presence = new HashMap<>();

    MemberPresence(PeerId self, Groups groups, PeerDirectory directory, Dissemination dissemination,
                   FailureDetector detector, Supplier<Topology> topology, PeerFrames frames, Events events,
                   EngineLoop loop) {
        this.self = self;
        this.groups = groups;
        this.directory = directory;
        this.dissemination = dissemination;
        this.detector = detector;
        this.topology = topology;
        this.frames = frames;
        this.events = events;
        this.loop = loop;
        detector.addListener(new FailureDetector.Listener() {
            @Override
            public void down(PeerId peer) {
                set(peer, Presence.OFFLINE);
            }

            @Override
            public void up(PeerId peer) {
                set(peer, Presence.ONLINE);
            }
        });
    }

    Presence of(PeerId peer) {
        if (peer.equals(self)) {
            return Presence.ONLINE;
        }
        return detector.isDown(peer) ? Presence.OFFLINE : presence.getOrDefault(peer, Presence.UNKNOWN);
    }

    /** A frame came from a peer: a member that sends is online. */
    void heard(PeerId from) {
        if (directory.knows(from)) {
            set(from, Presence.ONLINE);
            detector.heard(from);
        }
    }

    /**
     * Tells the members this node is linked to in every group, and its ring neighbours, that this node
     * is online or going offline. The returned stages complete when each notice was written.
     */
    CompletableFuture<?>[] announce(boolean online) {
        Map<PeerId, PeerAddress> neighbours = new HashMap<>();
        Topology current = topology.get();
        for (Group group : groups.all()) {
            Ring ring = dissemination.ring(group.info.id());
            if (ring == null || current == null) {
                continue;
            }
            Set<PeerId> peers = new HashSet<>(current.links(ring, self));
            if (ring.size() > 1) {
                peers.add(ring.after(self, 1));
                peers.add(ring.after(self, -1));
            }
            peers.remove(self);
            peers.forEach(peer -> group.info.member(peer).ifPresent(m -> neighbours.put(peer, m.address())));
        }
        byte[] body = {(byte) (online ? ONLINE : OFFLINE)};
        return neighbours.values().stream()
                .map(address -> frames.send(address, FrameType.PRESENCE, body).toCompletableFuture()
                        .exceptionally(error -> {
                            loop.execute(() -> set(address.peerId(), Presence.OFFLINE), () -> { });
                            return null;
                        }))
                .toArray(CompletableFuture[]::new);
    }

    /** Records a member's presence; its listeners hear of a change. */
    private void set(PeerId peer, Presence now) {
        if (!directory.knows(peer)) {
            return;
        }
        Presence before = presence.put(peer, now);
        if (before != now) {
            events.fire(l -> l.presenceChanged(peer, now));
        }
    }

    /** A member's notice that it is online (back) or going offline. */
    void onNotice(PeerId from, byte[] body) {
        if (body.length != 1 || (body[0] != ONLINE && body[0] != OFFLINE)) {
            throw new MalformedInputException("a presence notice is one byte, 0 or 1");
        }
        boolean online = body[0] == ONLINE;
        if (!directory.knows(from)) {
            LOG.log(DEBUG, "ignored presence notice from {0}: it shares no group with this node", from);
            return;
        }
        set(from, online ? Presence.ONLINE : Presence.OFFLINE);
        if (online) {
            detector.heard(from);
        } else {
            detector.wentOffline(from);
        }
        LOG.log(INFO, "{0} is {1}", from.shortText(), online ? "back online" : "going offline");
    }
}
