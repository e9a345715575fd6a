package org.ringchat.transport.netty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
        return config(listen, advertise, TransportSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
    }

    private static NettyTransportComponent.Config config(String listen, String advertise, int connectionsPerAddress) {
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
                return 1000;
            }

            @Override
            public long idle_timeout_ms() {
                return 60_000;
            }

            @Override
            public int max_connections_per_address() {
                return connectionsPerAddress;
            }
        };
    }

    @Test
    void startsFromConfigurationAndStopsOnDeactivation() throws Exception {
        Ed25519Identity identity = TestNode.identity(dir.resolve("a"));
        NettyTransportComponent component = new NettyTransportComponent(identity, config("127.0.0.1:0", " "));
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
        NettyTransportComponent component = new NettyTransportComponent(identity, config("127.0.0.1:0", "node.example.org:7400"));
        try {
            assertEquals(new PeerAddress(identity.peerId(), "node.example.org", 7400), component.localAddress());
        } finally {
            component.deactivate();
        }
    }

    @Test
    void connectionsPerAddressAreLimitedAsConfigured() throws Exception {
        NettyTransportComponent component = new NettyTransportComponent(TestNode.identity(dir.resolve("a")),
                config("127.0.0.1:0", "", 1));
        try (Socket first = new Socket("127.0.0.1", component.localAddress().port());
             Socket second = new Socket("127.0.0.1", component.localAddress().port())) {
            RawClients.awaitClosedByPeer(second);
            first.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, () -> first.getInputStream().read(), "the first one waits for TLS");
        } finally {
            component.deactivate();
        }
    }

    @Test
    void malformedListenAddressIsRefused() {
        Ed25519Identity identity = TestNode.identity(dir.resolve("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NettyTransportComponent(identity, config("7400", "")));
        assertTrue(e.getMessage().contains("7400"), e.getMessage());
    }
}
