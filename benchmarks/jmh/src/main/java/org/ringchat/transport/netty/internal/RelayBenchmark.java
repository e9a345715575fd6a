package org.ringchat.transport.netty.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.ringchat.api.HostPort;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.jmh.Scratch;
import org.ringchat.spi.Relaying;

/**
 * 1 KB frames from one node nobody can dial to another through a relay, all three in this JVM on loopback:
 * each frame is sealed by the end-to-end TLS, carried in a CIRCUIT_DATA frame over the sender's TLS
 * connection to the relay, opened and sealed again by the relay for the receiver's connection, and opened
 * twice there. Compare with {@link FramePathBenchmark#tlsLoopbackBurst} (one direct TLS hop): the difference
 * is what the relay and the second TLS layer cost.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RelayBenchmark {

    private static final int BURST = 1000;
    private static final int CHAT = 0x20;

    private byte[] body;
    private final Scratch[] scratches = {new Scratch(), new Scratch(), new Scratch()};
    private NettyTransport relay;
    private NettyTransport sender;
    private NettyTransport receiver;
    private PeerAddress to;
    private final Semaphore arrived = new Semaphore(0);

    @Setup
    public void setUp() throws Exception {
        body = new byte[1024];
        new Random(1).nextBytes(body);
        relay = transport(scratches[0], null);
        sender = transport(scratches[1], unusedPort());
        receiver = transport(scratches[2], unusedPort());
        List<PeerAddress> relays = List.of(relay.localAddress());
        Relaying everyoneInOneGroup = new Relaying() {
            @Override
            public boolean shareGroup(PeerId a, PeerId b) {
                return true;
            }

            @Override
            public List<PeerAddress> relaysOf(PeerId peer) {
                return peer.equals(relay.localAddress().peerId()) ? List.of() : relays;
            }
        };
        for (NettyTransport node : List.of(relay, sender, receiver)) {
            node.setRelaying(everyoneInOneGroup);
        }
        receiver.setReceiver((from, type, frameBody) -> arrived.release());
        for (NettyTransport end : List.of(sender, receiver)) {
            end.useRelays(relays);
            end.send(relay.localAddress(), CHAT, body).toCompletableFuture().join();
            while (end.reachability().relays().isEmpty()) {
                Thread.sleep(10); // setup only: the dial-back and the reservation take a few round trips
            }
        }
        to = receiver.localAddress();
        sender.send(to, CHAT, body).toCompletableFuture().join();
        arrived.acquire();
    }

    private static NettyTransport transport(Scratch scratch, Integer unreachablePort) {
        NettyTransport transport = new NettyTransport(scratch.identity(), new TransportSettings(
                new HostPort("127.0.0.1", 0), unreachablePort == null ? null : new HostPort("127.0.0.1", unreachablePort),
                1 << 20, Duration.ofSeconds(10)));
        transport.start();
        return transport;
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @TearDown
    public void tearDown() {
        for (NettyTransport node : List.of(sender, receiver, relay)) {
            node.close();
        }
        for (Scratch scratch : scratches) {
            scratch.close();
        }
    }

    /** Frames sent back to back through the relay: what one costs the three nodes together when busy. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public void relayedBurst() throws InterruptedException {
        for (int i = 0; i < BURST; i++) {
            sender.send(to, CHAT, body);
        }
        arrived.acquire(BURST);
    }
}
