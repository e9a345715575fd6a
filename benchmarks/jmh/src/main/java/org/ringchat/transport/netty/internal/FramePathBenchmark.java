package org.ringchat.transport.netty.internal;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.ringchat.api.HostPort;
import org.ringchat.api.PeerAddress;
import org.ringchat.jmh.Scratch;

/**
 * The frame path: the frame codec alone (Netty's embedded channel, no network), and the real transport
 * between two nodes over TLS 1.3 on loopback, sent from a thread that is not the event loop's, as the
 * engine sends: a burst of frames one after the other, and one frame at a time waiting for each to arrive.
 * In the transport's package, whose classes these are.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FramePathBenchmark {

    private static final int BURST = 1000;
    private static final int CHAT = 0x20;

    @Param({"1024", "16384"})
    int bodyBytes;

    private byte[] body;
    private Frame frame;
    private EmbeddedChannel encoder;
    private EmbeddedChannel decoder;
    private Scratch senderScratch;
    private Scratch receiverScratch;
    private NettyTransport sender;
    private NettyTransport receiver;
    private PeerAddress to;
    private final Semaphore arrived = new Semaphore(0);

    @Setup
    public void setUp() throws InterruptedException {
        body = new byte[bodyBytes];
        new Random(1).nextBytes(body);
        frame = new Frame(CHAT, body);
        encoder = new EmbeddedChannel(FrameEncoder.INSTANCE);
        decoder = new EmbeddedChannel(new FrameDecoder(1 << 20));
        senderScratch = new Scratch();
        receiverScratch = new Scratch();
        sender = transport(senderScratch);
        receiver = transport(receiverScratch);
        receiver.setReceiver((from, type, frameBody) -> arrived.release());
        to = receiver.localAddress();
        sender.send(to, CHAT, body).toCompletableFuture().join();
        arrived.acquire();
    }

    private static NettyTransport transport(Scratch scratch) {
        NettyTransport transport = new NettyTransport(scratch.identity(),
                new TransportSettings(new HostPort("127.0.0.1", 0), null, 1 << 20, Duration.ofSeconds(5)));
        transport.start();
        return transport;
    }

    @TearDown
    public void tearDown() {
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
        sender.close();
        receiver.close();
        senderScratch.close();
        receiverScratch.close();
    }

    /** Length prefix, version and type on, and off again: the codec's whole share of a frame. */
    @Benchmark
    public Frame codecRoundTrip() {
        encoder.writeOutbound(frame);
        ByteBuf wire = encoder.readOutbound();
        decoder.writeInbound(wire);
        return decoder.readInbound();
    }

    /** Frames sent back to back: what one costs when the connection is busy. */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public void tlsLoopbackBurst() throws InterruptedException {
        for (int i = 0; i < BURST; i++) {
            sender.send(to, CHAT, body);
        }
        arrived.acquire(BURST);
    }

    /** One frame, then wait until it arrived: send to receipt when the connection is idle. */
    @Benchmark
    public void tlsLoopbackOneAtATime() throws InterruptedException {
        sender.send(to, CHAT, body);
        arrived.acquire();
    }
}
