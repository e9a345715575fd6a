package org.ringchat.group.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.spi.FrameReceiver;
import org.ringchat.spi.Transport;

/**
 * Transports that hand frames straight to each other's receivers, with peers that can be taken down
 * and frames that a test can tamper with.
 */
final class InMemoryNetwork {

    private final Map<PeerId, FrameReceiver> receivers = new ConcurrentHashMap<>();
    private final Set<PeerId> down = ConcurrentHashMap.newKeySet();
    private volatile Loss loss = (from, to, type) -> false;

    /** Picks frames a lossy link would lose. */
    @FunctionalInterface
    interface Loss {
        boolean loses(PeerId from, PeerId to, int type);
    }

    Transport transportFor(PeerId self, int port) {
        PeerAddress address = new PeerAddress(self, "127.0.0.1", port);
        return new Transport() {
            @Override
            public PeerAddress localAddress() {
                return address;
            }

            @Override
            public int maxFrameSize() {
                return 1 << 20;
            }

            @Override
            public CompletionStage<Void> send(PeerAddress to, int type, byte[] body) {
                FrameReceiver receiver = receivers.get(to.peerId());
                if (receiver == null || down.contains(to.peerId()) || down.contains(self)) {
                    return CompletableFuture.failedFuture(new java.net.ConnectException("connection refused: " + to));
                }
                if (type == FrameType.BUNDLE) {
                    // A lossy link picks frames, whether they travel alone or in a bundle.
                    List<Bundle.Entry> kept = Bundle.decode(body).stream()
                            .filter(frame -> !loss.loses(self, to.peerId(), frame.type())).toList();
                    if (!kept.isEmpty()) {
                        receiver.onFrame(self, FrameType.BUNDLE, Bundle.encode(kept));
                    }
                } else if (!loss.loses(self, to.peerId(), type)) {
                    receiver.onFrame(self, type, body.clone());
                }
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void setReceiver(FrameReceiver receiver) {
                if (receiver == null) {
                    receivers.remove(self);
                } else {
                    receivers.put(self, receiver);
                }
            }
        };
    }

    void takeDown(PeerId peer) {
        down.add(peer);
    }

    void bringUp(PeerId peer) {
        down.remove(peer);
    }

    /** Silently loses the frames {@code loss} picks. */
    void loseWhen(Loss loss) {
        this.loss = loss;
    }

    /** Delivers a raw frame as if {@code from} had sent it. */
    void inject(PeerId from, PeerId to, int type, byte[] body) {
        receivers.get(to).onFrame(from, type, body);
    }
}
