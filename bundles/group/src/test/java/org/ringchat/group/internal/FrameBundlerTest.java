package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.spi.FrameReceiver;
import org.ringchat.spi.Transport;

class FrameBundlerTest {

    private record Sent(PeerId to, int type, byte[] body) {
    }

    private final VirtualTime time = new VirtualTime();
    private final EngineLoop loop = time.loop();
    private final InMemoryStore store = new InMemoryStore();
    private final CommitTurn turn = new CommitTurn(store::commit, loop);
    private final PeerId bob = new TestIdentity().peerId();
    private final PeerId carol = new TestIdentity().peerId();
    private final PeerId stranger = new TestIdentity().peerId();
    private final List<Sent> sent = new ArrayList<>();
    private int maxFrameSize = 1 << 20;
    private boolean refusing;

    private final Transport transport = new Transport() {
        @Override
        public PeerAddress localAddress() {
            return new PeerAddress(new TestIdentity().peerId(), "127.0.0.1", 7000);
        }

        @Override
        public int maxFrameSize() {
            return maxFrameSize;
        }

        @Override
        public CompletionStage<Void> send(PeerAddress to, int type, byte[] body) {
            if (refusing) {
                return CompletableFuture.failedFuture(new ConnectException("connection refused"));
            }
            sent.add(new Sent(to.peerId(), type, body));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void setReceiver(FrameReceiver receiver) {
        }
    };

    private final FrameBundler bundler = new FrameBundler(transport,
            peer -> peer.equals(stranger) ? null : new PeerAddress(peer, "127.0.0.1", 7001), loop, turn);

    private static final Runnable NOTHING = () -> { };

    @Test
    void theFramesOfOneTurnGoToEachPeerAsOneBundleInOrder() {
        loop.execute(() -> {
            bundler.send(bob, FrameType.CHAT, new byte[] {1}, NOTHING);
            bundler.send(carol, FrameType.CHAT, new byte[] {2}, NOTHING);
            bundler.send(bob, FrameType.CONFIRMS, new byte[] {3}, NOTHING);
        }, NOTHING);

        time.advance(0);

        assertEquals(2, sent.size());
        Sent toBob = sent.stream().filter(s -> s.to().equals(bob)).findFirst().orElseThrow();
        assertEquals(FrameType.BUNDLE, toBob.type());
        List<Bundle.Entry> frames = Bundle.decode(toBob.body());
        assertEquals(List.of(FrameType.CHAT, FrameType.CONFIRMS), frames.stream().map(Bundle.Entry::type).toList());
        Sent toCarol = sent.stream().filter(s -> s.to().equals(carol)).findFirst().orElseThrow();
        assertEquals(FrameType.CHAT, toCarol.type(), "a lone frame goes as itself");
    }

    @Test
    void aFrameGivenAsHeadAndTailIsSentAsOneBody() {
        byte[] message = {7, 8, 9};
        loop.execute(() -> {
            bundler.send(bob, FrameType.CHAT, new byte[] {1, 2}, message, NOTHING);
            bundler.send(bob, FrameType.CHAT, new byte[] {3}, message, NOTHING);
            bundler.send(carol, FrameType.CHAT, new byte[] {4}, message, NOTHING);
        }, NOTHING);

        time.advance(0);

        Sent toBob = sent.stream().filter(s -> s.to().equals(bob)).findFirst().orElseThrow();
        List<Bundle.Entry> frames = Bundle.decode(toBob.body());
        assertArrayEquals(new byte[] {1, 2, 7, 8, 9}, frames.get(0).body());
        assertArrayEquals(new byte[] {3, 7, 8, 9}, frames.get(1).body());
        Sent toCarol = sent.stream().filter(s -> s.to().equals(carol)).findFirst().orElseThrow();
        assertArrayEquals(new byte[] {4, 7, 8, 9}, toCarol.body(), "a lone frame is joined");
    }

    @Test
    void acknowledgementsWaitForTheCommitWhileHandOnsDoNot() {
        loop.execute(() -> {
            turn.stored();
            bundler.send(bob, FrameType.ACKS, new byte[] {1}, NOTHING);
            bundler.send(carol, FrameType.CHAT, new byte[] {2}, NOTHING);
        }, NOTHING);

        time.advance(0);

        assertEquals(1, store.commits);
        assertEquals(List.of(carol, bob), sent.stream().map(Sent::to).toList(),
                "the hand-on went before the commit, the acknowledgement after it");
    }

    @Test
    void bundlesAreSplitToFitTheLargestFrame() {
        maxFrameSize = 2 + 2 * (Bundle.OVERHEAD_PER_FRAME + 100);
        loop.execute(() -> {
            for (int i = 0; i < 5; i++) {
                bundler.send(bob, FrameType.CHAT, new byte[100], NOTHING);
            }
        }, NOTHING);

        time.advance(0);

        assertEquals(List.of(2, 2, 1), sent.stream()
                .map(s -> s.type() == FrameType.BUNDLE ? Bundle.decode(s.body()).size() : 1).toList());
        assertTrue(sent.stream().allMatch(s -> s.body().length <= maxFrameSize));
    }

    @Test
    void aFrameThatCannotGoOutIsReportedFailedOnTheLoop() {
        List<String> failed = new ArrayList<>();
        loop.execute(() -> bundler.send(stranger, FrameType.CHAT, new byte[] {1}, () -> failed.add("to a stranger")),
                NOTHING);
        time.advance(0);
        refusing = true;
        loop.execute(() -> bundler.send(bob, FrameType.PROBE, new byte[] {1}, () -> failed.add("refused")), NOTHING);
        time.advance(0);

        assertEquals(List.of("to a stranger", "refused"), failed);
    }
}
