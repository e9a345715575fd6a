package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.DEBUG;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.spi.Transport;
import org.ringchat.wire.WireWriter;

/**
 * The broadcast's and the failure detector's {@link Link}: the frames one engine turn writes to a peer go
 * out together at the end of the turn, several of them as one {@link FrameType#BUNDLE}. Acknowledgements
 * (ACKS, PARTS_DONE) wait for the commit, since they tell the sender that this member stored the
 * message; passing a message on promises nothing, so it goes out while this member commits.
 */
final class FrameBundler implements Link {

    private static final System.Logger LOG = System.getLogger(FrameBundler.class.getName());

    private final Transport transport;
    private final Function<PeerId, PeerAddress> addresses;
    private final EngineLoop loop;
    private final CommitTurn turn;
    /** Frames queued in this turn, by peer, in order. */
    private final Map<PeerId, List<Queued>> queued = new LinkedHashMap<>();

    /** A frame of this turn: its body is {@code head}, then {@code tail}. */
    private record Queued(int type, byte[] head, byte[] tail, Runnable onFailure) implements Bundle.Outgoing {

        @Override
        public int length() {
            return head.length + tail.length;
        }

        @Override
        public void writeBody(WireWriter w) {
            w.bytes(head).bytes(tail);
        }

        byte[] body() {
            return Link.joined(head, tail);
        }
    }

    private static final byte[] NO_TAIL = new byte[0];

    FrameBundler(Transport transport, Function<PeerId, PeerAddress> addresses, EngineLoop loop, CommitTurn turn) {
        this.transport = transport;
        this.addresses = addresses;
        this.loop = loop;
        this.turn = turn;
        // Messages handed on need not wait for the disk; the acknowledgements the commit releases go next.
        turn.beforeCommit(this::flush);
        turn.afterTurn(this::flush);
    }

    @Override
    public void send(PeerId to, int type, byte[] body, Runnable onFailure) {
        send(to, type, body, NO_TAIL, onFailure);
    }

    @Override
    public void send(PeerId to, int type, byte[] head, byte[] tail, Runnable onFailure) {
        Queued frame = new Queued(type, head, tail, onFailure);
        if (type == FrameType.ACKS || type == FrameType.PARTS_DONE) {
            turn.afterCommit(() -> queue(to, frame));
        } else {
            queue(to, frame);
        }
    }

    private void queue(PeerId to, Queued frame) {
        queued.computeIfAbsent(to, p -> new ArrayList<>()).add(frame);
        turn.due();
    }

    /** Sends what this turn queued: to each peer its frames, several of them as a BUNDLE. */
    private void flush() {
        if (queued.isEmpty()) {
            return;
        }
        int budget = transport.maxFrameSize();
        for (Map.Entry<PeerId, List<Queued>> frames : queued.entrySet()) {
            PeerId to = frames.getKey();
            PeerAddress address = addresses.apply(to);
            if (address == null) {
                frames.getValue().forEach(frame -> loop.execute(frame.onFailure(), () -> { }));
                continue;
            }
            List<Queued> bundle = new ArrayList<>();
            int size = 2;
            for (Queued frame : frames.getValue()) {
                int length = Bundle.OVERHEAD_PER_FRAME + frame.length();
                if (!bundle.isEmpty() && (size + length > budget || bundle.size() == Bundle.MAX_FRAMES)) {
                    sendBundle(to, address, bundle);
                    bundle = new ArrayList<>();
                    size = 2;
                }
                bundle.add(frame);
                size += length;
            }
            sendBundle(to, address, bundle);
        }
        queued.clear();
    }

    private void sendBundle(PeerId to, PeerAddress address, List<Queued> frames) {
        Queued first = frames.get(0);
        int type = frames.size() == 1 ? first.type() : FrameType.BUNDLE;
        byte[] body = frames.size() == 1 ? first.body() : Bundle.encode(frames);
        // Frame bodies are never changed once encoded, so the transport may keep this one as it is.
        transport.sendOwned(address, type, body).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.log(DEBUG, "could not send {0} to {1}: {2}", FrameType.name(type), to.shortText(),
                        Errors.rootMessage(error));
                frames.forEach(frame -> loop.execute(frame.onFailure(), () -> { }));
            }
        });
    }
}
