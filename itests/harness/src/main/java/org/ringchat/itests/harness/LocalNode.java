package org.ringchat.itests.harness;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.ringchat.api.GroupChat;
import org.ringchat.api.HostPort;
import org.ringchat.api.PeerAddress;
import org.ringchat.crypto.internal.Ed25519Identity;
import org.ringchat.group.internal.EngineThread;
import org.ringchat.group.internal.GroupEngine;
import org.ringchat.spi.Topology;
import org.ringchat.spi.Transport;
import org.ringchat.state.internal.MVStateStore;
import org.ringchat.state.messages.MessageLog;
import org.ringchat.topology.ring.internal.RingTopology;
import org.ringchat.transport.netty.internal.NettyTransport;
import org.ringchat.transport.netty.internal.TransportSettings;

/**
 * A whole ringchat node wired in plain Java, without OSGi: the real identity, TLS transport, store,
 * message log, ring topology and group engine, listening on loopback. What the DS components do in a framework.
 */
public final class LocalNode implements AutoCloseable {

    /**
     * The system property that makes every node's message log fsync each commit, as {@code messages.fsync}
     * does for a node (for benchmarks: {@code COMPARE_JAVA_OPTS=-Dringchat.messages.fsync=true}).
     */
    public static final String FSYNC_PROPERTY = "ringchat.messages.fsync";

    /** The distribution's default {@code max.frame.size}. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 1 << 20;

    private final NettyTransport transport;
    private final MVStateStore store;
    private final MessageLog messages;
    private final GroupEngine engine;

    private LocalNode(NettyTransport transport, MVStateStore store, MessageLog messages, GroupEngine engine) {
        this.transport = transport;
        this.store = store;
        this.messages = messages;
        this.engine = engine;
    }

    /** Starts a node on 127.0.0.1 with a free port and default timing. */
    public static LocalNode start(Path dataDir) {
        return start(dataDir, 0, GroupEngine.Settings.defaults());
    }

    /** Starts a node on 127.0.0.1 with the given port (0 for any free one). */
    public static LocalNode start(Path dataDir, int port, GroupEngine.Settings settings) {
        return start(dataDir, port, settings, DEFAULT_MAX_FRAME_SIZE);
    }

    /** Starts a node on 127.0.0.1 with the given port (0 for any free one) and maximum frame size. */
    public static LocalNode start(Path dataDir, int port, GroupEngine.Settings settings, int maxFrameSize) {
        RingTopology ring = new RingTopology();
        return start(dataDir, port, settings, maxFrameSize, () -> ring);
    }

    /**
     * Starts a node on 127.0.0.1 with a free port and default timing that spreads messages by the given
     * topology (e.g. {@code new TreeTopology()}) instead of the ring.
     */
    public static LocalNode start(Path dataDir, Topology topology) {
        Objects.requireNonNull(topology, "topology");
        return start(dataDir, 0, GroupEngine.Settings.defaults(), DEFAULT_MAX_FRAME_SIZE, () -> topology);
    }

    /**
     * Starts a node on 127.0.0.1 with the given port (0 for any free one), maximum frame size and
     * topology. The engine asks {@code topology} for every message; it may return null (no topology
     * available: messages wait), as a framework's dynamic reference may.
     */
    public static LocalNode start(Path dataDir, int port, GroupEngine.Settings settings, int maxFrameSize,
                                  Supplier<Topology> topology) {
        return start(dataDir, port, null, settings, maxFrameSize, topology);
    }

    /**
     * Starts a node that others cannot dial: it listens on a free port of 127.0.0.1 but advertises
     * {@code unreachablePort}, where nothing listens, as a node behind a NAT advertises an address that does
     * not lead to it. It joins by asking a member, and is reached through relays.
     */
    public static LocalNode startUndialable(Path dataDir, int unreachablePort) {
        RingTopology ring = new RingTopology();
        return start(dataDir, 0, new HostPort("127.0.0.1", unreachablePort), GroupEngine.Settings.defaults(),
                DEFAULT_MAX_FRAME_SIZE, () -> ring);
    }

    private static LocalNode start(Path dataDir, int port, HostPort advertise, GroupEngine.Settings settings,
                                   int maxFrameSize, Supplier<Topology> topology) {
        Objects.requireNonNull(topology, "topology");
        MVStateStore store = MVStateStore.open(dataDir);
        Ed25519Identity identity = Ed25519Identity.loadOrCreate(store, new BouncyCastleProvider());
        NettyTransport transport = new NettyTransport(identity, new TransportSettings(
                new HostPort("127.0.0.1", port), advertise, maxFrameSize, Duration.ofSeconds(5)));
        transport.start();
        MessageLog messages = MessageLog.open(dataDir, new MessageLog.Settings(MessageLog.Settings.DEFAULT.segmentBytes(),
                Boolean.getBoolean(FSYNC_PROPERTY)), damage -> { });
        GroupEngine engine = new GroupEngine(identity, transport, topology, store, messages, settings,
                new EngineThread("ringchat-engine", Clock.systemUTC()));
        return new LocalNode(transport, store, messages, engine);
    }

    public GroupChat chat() {
        return engine;
    }

    /** The node's transport, for tests that play a misbehaving peer. */
    /** TLS handshakes this node's transport completed, on either end. */
    public long tlsHandshakes() {
        return transport.tlsHandshakes();
    }

    public Transport transport() {
        return transport;
    }

    public PeerAddress address() {
        return transport.localAddress();
    }

    @Override
    public void close() {
        engine.close();
        transport.close();
        messages.close();
        store.close();
    }
}
