package org.ringchat.transport.netty.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Provider;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.ringchat.api.HostPort;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.crypto.internal.Ed25519Identity;
import org.ringchat.state.internal.MVStateStore;

/** A started transport on loopback with a real identity, collecting the frames it receives. */
final class TestNode implements AutoCloseable {

    static final int MAX_FRAME_SIZE = 64 * 1024;
    /** Relayed connections take two handshakes' round trips; a busy CI machine must not time them out. */
    static final Duration SLOW_MACHINE_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    record Received(PeerId from, int type, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    final Ed25519Identity identity;
    final NettyTransport transport;
    final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();

    private TestNode(Ed25519Identity identity, int port, Duration idleTimeout) {
        this(identity, new TransportSettings(new HostPort("127.0.0.1", port), null, MAX_FRAME_SIZE,
                Duration.ofSeconds(2), idleTimeout));
    }

    private TestNode(Ed25519Identity identity, TransportSettings settings) {
        this(identity, settings, RelaySettings.defaults());
    }

    private TestNode(Ed25519Identity identity, TransportSettings settings, RelaySettings relaySettings) {
        this.identity = identity;
        this.transport = new NettyTransport(identity, settings, relaySettings);
        transport.setReceiver((from, type, body) -> inbox.add(new Received(from, type, body)));
        transport.start();
    }

    static Ed25519Identity identity(Path dir) {
        try (MVStateStore store = MVStateStore.open(dir)) {
            return Ed25519Identity.loadOrCreate(store, BOUNCY_CASTLE);
        }
    }

    static TestNode start(Path dir) {
        return new TestNode(identity(dir), 0, TransportSettings.DEFAULT_IDLE_TIMEOUT);
    }

    /** A node that closes connections idle for {@code idleTimeout}. */
    static TestNode start(Path dir, Duration idleTimeout) {
        return new TestNode(identity(dir), 0, idleTimeout);
    }

    /** A node with the inbound limits given, which waits a minute for a handshake to finish. */
    static TestNode startWithLimits(Path dir, int handshakesPerAddress, int handshakes, int connectionsPerPeer) {
        return new TestNode(identity(dir), new TransportSettings(new HostPort("127.0.0.1", 0), null, MAX_FRAME_SIZE,
                Duration.ofMinutes(1), TransportSettings.DEFAULT_IDLE_TIMEOUT, handshakesPerAddress, handshakes,
                connectionsPerPeer));
    }

    /**
     * A node nobody can dial: it listens, but advertises a port of 127.0.0.1 where nothing listens, as a node
     * behind a NAT advertises an address that does not lead to it.
     */
    static TestNode startUndialable(Path dir, RelaySettings relaySettings) throws java.io.IOException {
        int deadPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        return new TestNode(identity(dir), new TransportSettings(new HostPort("127.0.0.1", 0),
                new HostPort("127.0.0.1", deadPort), MAX_FRAME_SIZE, SLOW_MACHINE_CONNECT_TIMEOUT), relaySettings);
    }

    /** A dialable node with these relay limits. */
    static TestNode start(Path dir, RelaySettings relaySettings) {
        return new TestNode(identity(dir), new TransportSettings(new HostPort("127.0.0.1", 0), null, MAX_FRAME_SIZE,
                SLOW_MACHINE_CONNECT_TIMEOUT), relaySettings);
    }

    static TestNode start(Ed25519Identity identity, int port) {
        return new TestNode(identity, port, TransportSettings.DEFAULT_IDLE_TIMEOUT);
    }

    PeerId peerId() {
        return identity.peerId();
    }

    PeerAddress address() {
        return transport.localAddress();
    }

    int port() {
        return address().port();
    }

    CompletableFuture<Void> send(PeerAddress to, int type, String text) {
        return transport.send(to, type, text.getBytes(StandardCharsets.UTF_8)).toCompletableFuture();
    }

    CompletableFuture<Void> send(TestNode to, String text) {
        return send(to.address(), 0x10, text);
    }

    /** The next frame received, waiting at most five seconds. */
    Received next() throws InterruptedException {
        Received received = inbox.poll(5, TimeUnit.SECONDS);
        if (received == null) {
            throw new AssertionError("no frame arrived at " + peerId().shortText());
        }
        return received;
    }

    @Override
    public void close() {
        transport.close();
    }
}
