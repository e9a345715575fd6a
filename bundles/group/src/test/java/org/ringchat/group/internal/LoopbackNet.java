package org.ringchat.group.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.ToLongBiFunction;

import org.ringchat.api.PeerId;

/**
 * Frames between protocol objects on one {@link VirtualTime}, with a fixed latency. A crashed peer
 * loses every frame silently, as a vanished host does; a refused peer fails every send at once, as a
 * stopped process on a live host does.
 */
final class LoopbackNet {

    /** Takes a frame for one peer. */
    @FunctionalInterface
    interface Receiver {
        void onFrame(PeerId from, int type, byte[] body);
    }

    static final long LATENCY_MILLIS = 5;

    private final VirtualTime time;
    private final Map<PeerId, Receiver> receivers = new HashMap<>();
    final Set<PeerId> crashed = new HashSet<>();
    final Set<PeerId> refusing = new HashSet<>();
    /** Frames of these (from, type) are lost on the way, for tests that lose one kind. */
    BiPredicate<PeerId, Integer> lose = (from, type) -> false;
    /** Frames from one peer to the other are lost: a broken path between two live peers. */
    BiPredicate<PeerId, PeerId> cut = (from, to) -> false;
    /** Extra time frames of these (from, type) take, for tests with a slow member. */
    ToLongBiFunction<PeerId, Integer> delay = (from, type) -> 0;
    /** Extra time every frame to these peers takes before they handle it: slow, overloaded members. */
    final Map<PeerId, Long> slowToReceive = new HashMap<>();
    final Map<Integer, Integer> sent = new HashMap<>();
    /** The last body sent of each type, for tests that answer with what a peer learnt from it. */
    final Map<Integer, byte[]> lastSent = new HashMap<>();

    LoopbackNet(VirtualTime time) {
        this.time = time;
    }

    void attach(PeerId peer, Receiver receiver) {
        receivers.put(peer, receiver);
    }

    Link linkFor(PeerId self) {
        return (to, type, body, onFailure) -> {
            sent.merge(type, 1, Integer::sum);
            lastSent.put(type, body);
            if (refusing.contains(to) || !receivers.containsKey(to)) {
                time.schedule(LATENCY_MILLIS, onFailure);
                return;
            }
            if (crashed.contains(self) || crashed.contains(to) || lose.test(self, type) || cut.test(self, to)) {
                return;
            }
            long extra = delay.applyAsLong(self, type) + slowToReceive.getOrDefault(to, 0L);
            time.schedule(LATENCY_MILLIS + extra, () -> {
                if (!crashed.contains(to)) {
                    receivers.get(to).onFrame(self, type, body.clone());
                }
            });
        };
    }
}
