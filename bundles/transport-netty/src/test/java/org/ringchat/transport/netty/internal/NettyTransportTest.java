package org.ringchat.transport.netty.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ringchat.api.HostPort;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.RingchatException;
import org.ringchat.crypto.internal.Ed25519Identity;

class NettyTransportTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void pollQuickly() {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
    }

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final LogCapture log = new LogCapture();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        log.close();
    }

    private TestNode node(String name) {
        return track(TestNode.start(dir.resolve(name)));
    }

    private TestNode node(Ed25519Identity identity, int port) {
        return track(TestNode.start(identity, port));
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    private static void assertDelivered(TestNode to, TestNode from, int type, String text) throws InterruptedException {
        TestNode.Received received = to.next();
        assertEquals(from.peerId(), received.from());
        assertEquals(type, received.type());
        assertEquals(text, received.text());
    }

    private static Throwable failure(CompletableFuture<Void> sent) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> sent.get(5, TimeUnit.SECONDS));
        return e.getCause();
    }

    private void assertStillServes(TestNode server) throws Exception {
        TestNode client = node("good-" + System.nanoTime());
        client.send(server, "still there?").get(5, TimeUnit.SECONDS);
        assertDelivered(server, client, 0x10, "still there?");
    }

    @Test
    void exchangesFramesBothWaysOverOneConnection() throws Exception {
        TestNode a = node("a");
        TestNode b = node("b");

        a.send(b, "ping").get(5, TimeUnit.SECONDS);
        assertDelivered(b, a, 0x10, "ping");

        // B answers over the connection A opened: the port in the address is never dialed.
        PeerAddress aAtDeadPort = new PeerAddress(a.peerId(), "127.0.0.1", RawClients.unusedPort());
        b.send(aAtDeadPort, 0xff, "pong").get(5, TimeUnit.SECONDS);
        assertDelivered(a, b, 0xff, "pong");

        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sent.add(a.send(b.address(), 0x20, "frame " + i));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 100; i++) {
            assertDelivered(b, a, 0x20, "frame " + i);
        }

        byte[] largest = new byte[TestNode.MAX_FRAME_SIZE];
        Arrays.fill(largest, (byte) 7);
        b.transport.send(a.address(), 0x30, largest).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertArrayEquals(largest, a.next().body());
        a.transport.send(b.address(), 0x31, new byte[0]).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(0, b.next().body().length);

        assertEquals(1, a.transport.openConnections());
        assertEquals(1, b.transport.openConnections());
    }

    @Test
    void aSentBodyIsCopiedAndAnOwnedOneIsTakenAsItIs() throws Exception {
        TestNode a = node("a");
        TestNode b = node("b");
        byte[] body = "as sent".getBytes(StandardCharsets.UTF_8);
        // The first frame waits for the connection to be opened: the caller changes its array meanwhile.
        CompletableFuture<Void> sent = a.transport.send(b.address(), 0x10, body).toCompletableFuture();
        Arrays.fill(body, (byte) '!');
        sent.get(5, TimeUnit.SECONDS);
        assertDelivered(b, a, 0x10, "as sent");

        a.transport.sendOwned(b.address(), 0x11, "owned".getBytes(StandardCharsets.UTF_8))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertDelivered(b, a, 0x11, "owned");
        Throwable tooLarge = failure(a.transport.sendOwned(b.address(), 0x10, new byte[a.transport.maxFrameSize() + 1])
                .toCompletableFuture());
        assertInstanceOf(IllegalArgumentException.class, tooLarge, "checked as a frame sent is");
    }

    @Test
    void anIdleConnectionIsClosedAndOpenedAgainWhenNeeded() throws Exception {
        TestNode a = track(TestNode.start(dir.resolve("a"), Duration.ofMillis(300)));
        TestNode b = node("b");
        a.send(b, "before").get(5, TimeUnit.SECONDS);
        assertDelivered(b, a, 0x10, "before");

        await().atMost(Duration.ofSeconds(10)).until(() -> a.transport.openConnections() == 0
                && b.transport.openConnections() == 0);

        a.send(b, "after").get(5, TimeUnit.SECONDS);
        assertDelivered(b, a, 0x10, "after");
        assertEquals(1, a.transport.openConnections());
    }

    @Test
    void peersDialingEachOtherAtOnceSettleOnOneConnection() throws Exception {
        TestNode a = node("a");
        TestNode b = node("b");

        CompletableFuture<Void> fromA = a.send(b, "hello b");
        CompletableFuture<Void> fromB = b.send(a, "hello a");
        CompletableFuture.allOf(fromA, fromB).get(5, TimeUnit.SECONDS);
        assertDelivered(b, a, 0x10, "hello b");
        assertDelivered(a, b, 0x10, "hello a");

        await().atMost(Duration.ofSeconds(5))
                .until(() -> a.transport.openConnections() == 1 && b.transport.openConnections() == 1);
        a.send(b, "again").get(5, TimeUnit.SECONDS);
        b.send(a, "again").get(5, TimeUnit.SECONDS);
        assertDelivered(b, a, 0x10, "again");
        assertDelivered(a, b, 0x10, "again");
    }

    @Test
    void dialingWithTheWrongPeerIdIsRejected() throws Exception {
        TestNode a = node("a");
        TestNode b = node("b");
        PeerId stranger = TestNode.identity(dir.resolve("stranger")).peerId();
        PeerAddress wrong = new PeerAddress(stranger, "127.0.0.1", b.port());

        Throwable failure = failure(a.send(wrong, 0x10, "for the stranger"));

        assertInstanceOf(RingchatException.class, failure);
        assertTrue(failure.getMessage().contains("presented the key of peer " + b.peerId() + ", not of the expected " + stranger),
                failure.getMessage());
        assertEquals(1, log.warnings("rejected connection to " + wrong).size());
        await().until(() -> b.transport.openConnections() == 0);
        assertTrue(b.inbox.isEmpty());

        a.send(b, "for b").get(5, TimeUnit.SECONDS);
        assertDelivered(b, a, 0x10, "for b");
    }

    @Test
    void impostorAtAKnownAddressGetsNoFrames() throws Exception {
        TestNode a = node("a");
        Ed25519Identity bIdentity = TestNode.identity(dir.resolve("b"));
        TestNode b = node(bIdentity, 0);
        PeerAddress bAddress = b.address();
        a.send(bAddress, 0x10, "first").get(5, TimeUnit.SECONDS);
        assertDelivered(b, a, 0x10, "first");
        b.close();

        TestNode impostor = node(TestNode.identity(dir.resolve("impostor")), bAddress.port());
        await().until(() -> a.transport.openConnections() == 0);
        Throwable failure = failure(a.send(bAddress, 0x10, "secret"));

        assertTrue(failure.getMessage().contains("presented the key of peer " + impostor.peerId()), failure.getMessage());
        await().until(() -> impostor.transport.openConnections() == 0);
        assertTrue(impostor.inbox.isEmpty());
        assertEquals(1, log.warnings("rejected connection to " + bAddress).size());
    }

    @Test
    void reconnectsWhenThePeerComesBack() throws Exception {
        TestNode a = node("a");
        Ed25519Identity bIdentity = TestNode.identity(dir.resolve("b"));
        TestNode b = node(bIdentity, 0);
        PeerAddress bAddress = b.address();
        a.send(bAddress, 0x10, "before").get(5, TimeUnit.SECONDS);
        assertDelivered(b, a, 0x10, "before");
        b.close();
        await().until(() -> a.transport.openConnections() == 0);

        TestNode restarted = node(bIdentity, bAddress.port());
        a.send(bAddress, 0x10, "after").get(5, TimeUnit.SECONDS);
        assertDelivered(restarted, a, 0x10, "after");
    }

    static Stream<Arguments> nonTlsBytes() {
        return Stream.of(
                Arguments.of("http", "GET / HTTP/1.1\r\nHost: ringchat\r\n\r\n".getBytes(StandardCharsets.US_ASCII), "not TLS"),
                Arguments.of("garbage", HexFormat.of().parseHex("ffffffff00000000deadbeefcafebabe"), "not TLS"),
                Arguments.of("fake TLS record", HexFormat.of().parseHex("1603010010deadbeefcafebabedeadbeefcafebabe"), "TLS failed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonTlsBytes")
    void nonTlsClientIsRejectedAndTheNodeKeepsServing(String kind, byte[] bytes, String reason) throws Exception {
        TestNode b = node("b");

        String client;
        try (Socket socket = new Socket("127.0.0.1", b.port())) {
            client = "connection from /127.0.0.1:" + socket.getLocalPort() + ":";
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            RawClients.awaitClosedByPeer(socket);
        }

        await().until(() -> b.transport.openConnections() == 0);
        List<String> warnings = log.warnings(client);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(reason), warnings.get(0));
        assertStillServes(b);
    }

    static Stream<Arguments> badFrames() {
        int limit = TestNode.MAX_FRAME_SIZE + 2;
        return Stream.of(
                Arguments.of("huge length", header(0xffffffffL, 1, 0x10), "frame length 4294967295 is over the limit of " + limit),
                Arguments.of("one byte over", header(limit + 1L, 1, 0x10), "frame length " + (limit + 1) + " is over the limit"),
                Arguments.of("unknown version", header(2, 2, 0x10), "unknown frame version 2"),
                Arguments.of("no type", Arrays.copyOf(header(1, 1, 0), 5), "frame length 1 leaves no room for version and type"));
    }

    private static byte[] header(long length, int version, int type) {
        return ByteBuffer.allocate(6).putInt((int) length).put((byte) version).put((byte) type).array();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFrames")
    void badFrameFromAnAuthenticatedPeerClosesItsConnection(String kind, byte[] bytes, String reason) throws Exception {
        TestNode b = node("b");
        Ed25519Identity peer = TestNode.identity(dir.resolve("peer"));

        String client;
        try (SSLSocket socket = RawClients.tls(b.port(), peer, "TLSv1.3")) {
            socket.startHandshake();
            client = "connection from /127.0.0.1:" + socket.getLocalPort() + " (peer " + peer.peerId() + "):";
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            RawClients.awaitClosedByPeer(socket);
        }

        await().until(() -> b.transport.openConnections() == 0);
        List<String> warnings = log.warnings(client);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains(reason), warnings.get(0));
        assertTrue(b.inbox.isEmpty());
        assertStillServes(b);
    }

    @Test
    void peerVanishingWithoutTlsCloseIsNoRejection() throws Exception {
        TestNode b = node("b");
        Ed25519Identity peer = TestNode.identity(dir.resolve("peer"));

        String client;
        try (SSLSocket socket = RawClients.tls(b.port(), peer, "TLSv1.3")) {
            socket.startHandshake();
            client = "/127.0.0.1:" + socket.getLocalPort();
            await().until(() -> b.transport.openConnections() == 1);
            socket.setSoLinger(true, 0); // reset the TCP connection instead of closing TLS
        }

        await().until(() -> b.transport.openConnections() == 0);
        assertEquals(List.of(), log.warnings(client));
        assertStillServes(b);
    }

    @Test
    void tlsClientWithoutCertificateIsRejected() throws Exception {
        TestNode b = node("b");

        String client;
        try (SSLSocket socket = RawClients.tls(b.port(), null, "TLSv1.3")) {
            client = "connection from /127.0.0.1:" + socket.getLocalPort() + ":";
            try {
                socket.startHandshake();
                // TLS 1.3 finishes the client's side first; the server's refusal arrives afterwards.
                RawClients.awaitClosedByPeer(socket);
            } catch (SSLException expected) {
                // refused within the handshake
            }
        }

        await().until(() -> b.transport.openConnections() == 0);
        List<String> warnings = log.warnings(client);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("TLS failed"), warnings.get(0));
        assertStillServes(b);
    }

    @Test
    void tls12ClientIsRejected() throws Exception {
        TestNode b = node("b");
        Ed25519Identity peer = TestNode.identity(dir.resolve("peer"));

        String client;
        try (SSLSocket socket = RawClients.tls(b.port(), peer, "TLSv1.2")) {
            client = "connection from /127.0.0.1:" + socket.getLocalPort() + ":";
            assertThrows(SSLException.class, socket::startHandshake);
        }

        await().until(() -> b.transport.openConnections() == 0);
        List<String> warnings = log.warnings(client);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("TLS failed"), warnings.get(0));
        assertStillServes(b);
    }

    /** The flood comes from another address of the loopback range than the peers that behave. */
    private static final InetSocketAddress FLOODER = new InetSocketAddress("127.0.0.2", 0);

    private List<SocketChannel> halfOpen(int count, InetSocketAddress from, TestNode to) throws IOException {
        List<SocketChannel> connections = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SocketChannel connection = track(SocketChannel.open());
            connection.bind(from).connect(new InetSocketAddress("127.0.0.1", to.port()));
            connection.configureBlocking(false);
            connections.add(connection);
        }
        return connections;
    }

    @Test
    void aFloodOfConnectionsThatNeverHandshakeIsBoundedPerAddressWhileOtherPeersConnect() throws Exception {
        int perAddress = 8;
        TestNode b = track(TestNode.startWithLimits(dir.resolve("b"), perAddress, 128, 4));
        List<SocketChannel> flood = halfOpen(100, FLOODER, b);

        // Those over the limit are closed at once; the others wait for a handshake (a minute, for this node).
        await().atMost(Duration.ofSeconds(10)).until(() -> RawClients.closedByPeer(flood) == flood.size() - perAddress);
        assertEquals(perAddress, b.transport.openConnections());
        List<String> warnings = log.warnings("from /127.0.0.2:");
        assertEquals(1, warnings.size(), "one line for the flood: " + warnings);
        assertTrue(warnings.get(0).endsWith(": already 8 TLS handshakes in progress from 127.0.0.2 (max.handshakes.per.address)"),
                warnings.get(0));

        TestNode a = node("a");
        a.send(b, "during the flood").get(5, TimeUnit.SECONDS);
        assertDelivered(b, a, 0x10, "during the flood");

        // Once the flood has gone, the address gets its share again.
        for (SocketChannel connection : flood) {
            connection.close();
        }
        await().until(() -> b.transport.openConnections() == 1);
        halfOpen(1, FLOODER, b);
        await().until(() -> b.transport.openConnections() == 2);
        assertEquals(1, log.warnings("from /127.0.0.2:").size(), "a connection that merely closed is not warned about");
    }

    @Test
    void handshakesFromAllAddressesTogetherAreBounded() throws Exception {
        TestNode b = track(TestNode.startWithLimits(dir.resolve("b"), 8, 10, 4));
        halfOpen(8, FLOODER, b);
        await().until(() -> b.transport.openConnections() == 8);

        List<SocketChannel> second = halfOpen(8, new InetSocketAddress("127.0.0.3", 0), b);

        await().atMost(Duration.ofSeconds(10)).until(() -> RawClients.closedByPeer(second) == 6);
        assertEquals(10, b.transport.openConnections());
        List<String> warnings = log.warnings("(max.handshakes)");
        assertEquals(1, warnings.size(), "one line while every slot is taken: " + warnings);
        assertTrue(warnings.get(0).contains("from /127.0.0.3:"), warnings.get(0));
    }

    /** Writes one frame of type 0x10 carrying {@code text} on an authenticated raw connection. */
    private static void writeFrame(SSLSocket socket, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(header(2L + body.length, 1, 0x10));
        out.write(body);
        out.flush();
    }

    @Test
    void manyPeersBehindOneAddressAllGetIn() throws Exception {
        // More peers than handshake slots for their address, and than the 32 connections per address allowed before.
        int peers = 40;
        TestNode b = track(TestNode.startWithLimits(dir.resolve("b"), 4, 128, 1));
        for (int i = 0; i < peers; i++) {
            Ed25519Identity peer = TestNode.identity(dir.resolve("peer" + i));
            SSLSocket socket = track(RawClients.tls(b.port(), peer, "TLSv1.3", FLOODER.getAddress()));
            socket.startHandshake();
            writeFrame(socket, "hello from peer " + i);
            TestNode.Received received = b.next();
            assertEquals(peer.peerId(), received.from());
            assertEquals("hello from peer " + i, received.text());
        }
        assertEquals(peers, b.transport.openConnections());
        assertEquals(List.of(), log.warnings("from /127.0.0.2:"));
    }

    @Test
    void aPeerOpeningMoreConnectionsThanItsLimitIsRefused() throws Exception {
        TestNode b = track(TestNode.startWithLimits(dir.resolve("b"), 32, 128, 1));
        Ed25519Identity peer = TestNode.identity(dir.resolve("peer"));
        SSLSocket first = track(RawClients.tls(b.port(), peer, "TLSv1.3"));
        first.startHandshake();
        await().until(() -> b.transport.openConnections() == 1);

        for (int i = 0; i < 2; i++) {
            try (SSLSocket oneTooMany = RawClients.tls(b.port(), peer, "TLSv1.3")) {
                // TLS 1.3 finishes the client's side first; the refusal comes once the server knows the key.
                oneTooMany.startHandshake();
                RawClients.awaitClosedByPeer(oneTooMany);
            }
        }
        List<String> warnings = log.warnings("(max.connections.per.peer)");
        assertEquals(1, warnings.size(), "one line for the flood: " + warnings);
        assertTrue(warnings.get(0).contains("(peer " + peer.peerId() + "): already 1 connections from this peer"),
                warnings.get(0));
        writeFrame(first, "still here");
        assertEquals("still here", b.next().text());

        // Once its connection has gone, the peer may connect again.
        first.close();
        await().until(() -> b.transport.openConnections() == 0);
        try (SSLSocket again = RawClients.tls(b.port(), peer, "TLSv1.3")) {
            again.startHandshake();
            writeFrame(again, "back");
            assertEquals("back", b.next().text());
        }
        assertStillServes(b);
    }

    @Test
    void unreachablePeerIsRetriedWithBackoffUntilItComesUp() throws Exception {
        TestNode a = node("a");
        Ed25519Identity bIdentity = TestNode.identity(dir.resolve("b"));
        PeerAddress bAddress = new PeerAddress(bIdentity.peerId(), "127.0.0.1", RawClients.unusedPort());

        Throwable refused = failure(a.send(bAddress, 0x10, "anyone?"));
        assertInstanceOf(RingchatException.class, refused);
        assertTrue(refused.getMessage().startsWith("cannot connect to " + bAddress + ": "), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("; next attempt in 100 ms"), refused.getMessage());

        // Sends within the backoff fail at once without connecting; the next real attempt doubles the wait.
        List<String> failedFast = new ArrayList<>();
        List<String> attempts = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            String message = failure(a.send(bAddress, 0x10, "anyone?")).getMessage();
            (message.contains(": last attempt failed: ") ? failedFast : attempts).add(message);
            return !failedFast.isEmpty() && !attempts.isEmpty();
        });
        assertTrue(failedFast.get(0).matches("cannot connect to .*; next attempt in [0-9]+ ms"), failedFast.get(0));
        assertTrue(attempts.get(0).endsWith("; next attempt in 200 ms"), attempts.get(0));

        TestNode b = node(bIdentity, bAddress.port());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> a.send(bAddress, 0x10, "finally").handle((ok, error) -> error == null).get());
        assertDelivered(b, a, 0x10, "finally");
    }

    @Test
    void refusesOversizedBodiesAndReservedTypesWithoutConnecting() throws Exception {
        TestNode a = node("a");
        TestNode b = node("b");

        Throwable tooLarge = failure(a.transport.send(b.address(), 0x10, new byte[TestNode.MAX_FRAME_SIZE + 1]).toCompletableFuture());
        assertInstanceOf(IllegalArgumentException.class, tooLarge);
        assertEquals("frame body of 65537 bytes is over the limit of 65536 bytes", tooLarge.getMessage());

        Throwable reserved = failure(a.send(b.address(), 0x0f, "mine"));
        assertEquals("frame type 15 is outside 16..255", reserved.getMessage());
        assertInstanceOf(IllegalArgumentException.class, failure(a.send(b.address(), 0x100, "too big a type")));
        assertInstanceOf(IllegalArgumentException.class, failure(a.send(a.address(), 0x10, "to myself")));

        assertEquals(0, a.transport.openConnections());
    }

    @Test
    void closeReleasesThePortAndFailsLaterSends() throws Exception {
        TestNode a = node("a");
        TestNode b = node("b");
        a.send(b, "hi").get(5, TimeUnit.SECONDS);
        int port = a.port();

        a.close();

        assertEquals("the transport is closed", failure(a.send(b, "bye")).getMessage());
        new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1")).close();
        await().until(() -> b.transport.openConnections() == 0);
    }

    @Test
    void advertisedAddressDefaultsToTheListenHostAndBoundPort() {
        TestNode a = node("a");
        assertTrue(a.port() > 0);
        assertEquals(new PeerAddress(a.peerId(), "127.0.0.1", a.port()), a.address());
    }

    @Test
    void advertisedAddressWithPortZeroTakesTheBoundPort() {
        Ed25519Identity identity = TestNode.identity(dir.resolve("a"));
        NettyTransport transport = track(new NettyTransport(identity, new TransportSettings(
                new HostPort("127.0.0.1", 0), new HostPort("chat.example.org", 0), 1024, Duration.ofSeconds(1))));
        transport.start();

        PeerAddress address = transport.localAddress();
        assertEquals("chat.example.org", address.host());
        assertTrue(address.port() > 0);
        assertEquals(1, log.infos("listening on " + address + " (bound to 127.0.0.1:" + address.port() + ")").size());
    }
}
