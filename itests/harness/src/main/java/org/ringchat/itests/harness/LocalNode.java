package org.ringchat.itests.harness;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.ringchat.api.GroupChat;
import org.ringchat.api.HostPort;
import org.ringchat.api.PeerAddress;
import org.ringchat.crypto.internal.Ed25519Identity;
import org.ringchat.group.internal.GroupEngine;
import org.ringchat.spi.Transport;
import org.ringchat.state.internal.MVStateStore;
import org.ringchat.topology.ring.internal.RingTopology;
import org.ringchat.transport.netty.internal.NettyTransport;
import org.ringchat.transport.netty.internal.TransportSettings;

/**
 * A whole ringchat node wired in plain Java, without OSGi: the real identity, TLS transport, store,
 * ring topology and group engine, listening on loopback. What the DS components do in a framework.
 */
public final class LocalNode implements AutoCloseable {

    /** The distribution's default {@code max.frame.size}. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 1 << 20;

    private final NettyTransport transport;
    private final MVStateStore store;
    private final GroupEngine engine;

    private LocalNode(NettyTransport transport, MVStateStore store, GroupEngine engine) {
        this.transport = transport;
        this.store = store;
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
        MVStateStore store = MVStateStore.open(dataDir);
        Ed25519Identity identity = Ed25519Identity.loadOrCreate(store, new BouncyCastleProvider());
        NettyTransport transport = new NettyTransport(identity, new TransportSettings(
                new HostPort("127.0.0.1", port), null, maxFrameSize, Duration.ofSeconds(5)));
        transport.start();
        RingTopology ring = new RingTopology();
        GroupEngine engine = new GroupEngine(identity, transport, () -> ring, store, settings, Clock.systemUTC());
        return new LocalNode(transport, store, engine);
    }

    public GroupChat chat() {
        return engine;
    }

    /** The node's transport, for tests that play a misbehaving peer. */
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
        store.close();
    }
}
