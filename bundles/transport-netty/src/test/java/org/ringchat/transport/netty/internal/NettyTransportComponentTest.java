package org.ringchat.transport.netty.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.api.PeerAddress;
import org.ringchat.crypto.internal.Ed25519Identity;

class NettyTransportComponentTest {

    @TempDir
    Path dir;

    private static NettyTransportComponent.Config config(String listen, String advertise) {
        return config(listen, advertise, TransportSettings.DEFAULT_MAX_HANDSHAKES_PER_ADDRESS, 1000);
    }

    private static NettyTransportComponent.Config config(String listen, String advertise, int handshakesPerAddress,
                                                         int connectTimeoutMillis) {
        return new NettyTransportComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return NettyTransportComponent.Config.class;
            }

            @Override
            public String listen() {
                return listen;
            }

            @Override
            public String advertise() {
                return advertise;
            }

            @Override
            public int max_frame_size() {
                return 4096;
            }

            @Override
            public int connect_timeout_ms() {
                return connectTimeoutMillis;
            }

            @Override
            public long idle_timeout_ms() {
                return 60_000;
            }

            @Override
            public int max_handshakes_per_address() {
                return handshakesPerAddress;
            }

            @Override
            public int max_handshakes() {
                return TransportSettings.DEFAULT_MAX_HANDSHAKES;
            }

            @Override
            public int max_connections_per_peer() {
                return TransportSettings.DEFAULT_MAX_CONNECTIONS_PER_PEER;
            }

            @Override
            public int relay_max_reservations() {
                return RelaySettings.DEFAULT_MAX_RESERVATIONS;
            }

            @Override
            public int relay_max_circuits() {
                return RelaySettings.DEFAULT_MAX_CIRCUITS;
            }

            @Override
            public int relay_max_circuits_per_peer() {
                return RelaySettings.DEFAULT_MAX_CIRCUITS_PER_PEER;
            }

            @Override
            public long relay_max_circuit_bytes() {
                return RelaySettings.DEFAULT_MAX_CIRCUIT_BYTES;
            }

            @Override
            public long relay_max_circuit_seconds() {
                return RelaySettings.DEFAULT_MAX_CIRCUIT_SECONDS;
            }

            @Override
            public int relays_kept() {
                return RelaySettings.DEFAULT_RELAYS_KEPT;
            }
        };
    }

    @Test
    void startsFromConfigurationAndStopsOnDeactivation() throws Exception {
        Ed25519Identity identity = TestNode.identity(dir.resolve("a"));
        NettyTransportComponent component = new NettyTransportComponent(identity, Map.of(), config("127.0.0.1:0", " "));
        try (TestNode peer = TestNode.start(dir.resolve("b"))) {
            PeerAddress address = component.localAddress();
            assertEquals(identity.peerId(), address.peerId());
            assertEquals("127.0.0.1", address.host());
            assertEquals(4096, component.maxFrameSize());

            component.send(peer.address(), 0x10, new byte[] {1}).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertEquals(identity.peerId(), peer.next().from());

            component.deactivate();
            assertTrue(component.send(peer.address(), 0x10, new byte[] {1}).toCompletableFuture().isCompletedExceptionally());
        }
    }

    @Test
    void advertiseOverridesTheListenHost() {
        Ed25519Identity identity = TestNode.identity(dir.resolve("a"));
        NettyTransportComponent component = new NettyTransportComponent(identity, Map.of(), config("127.0.0.1:0", "node.example.org:7400"));
        try {
            assertEquals(new PeerAddress(identity.peerId(), "node.example.org", 7400), component.localAddress());
        } finally {
            component.deactivate();
        }
    }

    @Test
    void handshakesPerAddressAreLimitedAsConfigured() throws Exception {
        NettyTransportComponent component = new NettyTransportComponent(TestNode.identity(dir.resolve("a")), Map.of(),
                config("127.0.0.1:0", "", 1, 60_000));
        List<SocketChannel> two = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                SocketChannel connection = SocketChannel.open(new InetSocketAddress("127.0.0.1", component.localAddress().port()));
                connection.configureBlocking(false);
                two.add(connection);
            }
            // Either may be counted first; the other is closed at once. The one kept waits a minute for TLS.
            await().until(() -> RawClients.closedByPeer(two) == 1);
            assertEquals(1, RawClients.closedByPeer(two));
        } finally {
            for (SocketChannel connection : two) {
                connection.close();
            }
            component.deactivate();
        }
    }

    @Test
    void newLimitsApplyWhileTheTransportRunsWithoutANewOne() throws Exception {
        NettyTransportComponent component = new NettyTransportComponent(TestNode.identity(dir.resolve("a")), Map.of(),
                config("127.0.0.1:0", "", 32, 60_000));
        List<SocketChannel> two = new ArrayList<>();
        try {
            PeerAddress before = component.localAddress();
            component.modified(Map.of(), config("127.0.0.1:0", "", 1, 60_000));
            assertEquals(before, component.localAddress(), "the same transport");
            for (int i = 0; i < 2; i++) {
                SocketChannel connection = SocketChannel.open(new InetSocketAddress("127.0.0.1", before.port()));
                connection.configureBlocking(false);
                two.add(connection);
            }
            await().until(() -> RawClients.closedByPeer(two) == 1);
            assertEquals(1, RawClients.closedByPeer(two), "the new limit of one handshake per address holds");
        } finally {
            for (SocketChannel connection : two) {
                connection.close();
            }
            component.deactivate();
        }
    }

    @Test
    void aNewListenAddressRestartsTheTransportUnderTheSameServiceAndFramesStillArrive() throws Exception {
        Ed25519Identity identity = TestNode.identity(dir.resolve("a"));
        NettyTransportComponent component = new NettyTransportComponent(identity, Map.of(), config("127.0.0.1:0", ""));
        java.util.concurrent.BlockingQueue<Integer> received = new java.util.concurrent.LinkedBlockingQueue<>();
        component.setReceiver((from, type, body) -> received.add(type));
        try (TestNode peer = TestNode.start(dir.resolve("b"))) {
            int oldPort = component.localAddress().port();
            int newPort;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                newPort = free.getLocalPort();
            }
            component.modified(Map.of(), config("127.0.0.1:" + newPort, ""));

            assertEquals(newPort, component.localAddress().port());
            assertTrue(oldPort != newPort);
            peer.transport.send(component.localAddress(), 0x11, new byte[] {7}).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            assertEquals(0x11, received.poll(5, TimeUnit.SECONDS), "the receiver moved to the new transport");

            try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                component.modified(Map.of(), config("127.0.0.1:" + taken.getLocalPort(), ""));
                assertEquals(newPort, component.localAddress().port(), "an address in use leaves the transport as it was");
            }
        } finally {
            component.deactivate();
        }
    }

    @Test
    void theReplacedLimitPerAddressIsNamedWithWhatReplacedIt() {
        try (LogCapture log = new LogCapture()) {
            NettyTransportComponent component = new NettyTransportComponent(TestNode.identity(dir.resolve("a")),
                    Map.of(NettyTransportComponent.REPLACED_KEY, "32"), config("127.0.0.1:0", ""));
            component.deactivate();
            List<String> warnings = log.warnings("max.connections.per.address is no longer read");
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("max.handshakes.per.address, max.handshakes and max.connections.per.peer"),
                    warnings.get(0));
        }
    }

    @Test
    void malformedListenAddressIsRefused() {
        Ed25519Identity identity = TestNode.identity(dir.resolve("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NettyTransportComponent(identity, Map.of(), config("7400", "")));
        assertTrue(e.getMessage().contains("7400"), e.getMessage());
    }
}
