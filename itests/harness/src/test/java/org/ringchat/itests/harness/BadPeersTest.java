package org.ringchat.itests.harness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.PeerAddress;
import org.ringchat.crypto.internal.Ed25519Identity;
import org.ringchat.group.internal.FrameType;
import org.ringchat.group.internal.GroupEngine;
import org.ringchat.group.internal.HostileFrames;
import org.ringchat.spi.FrameReceiver;
import org.ringchat.state.internal.MVStateStore;
import org.ringchat.state.log.Change;

/**
 * Bad peers hit a member of a live group over real TLS connections: alice, the owner, and bob, a member
 * who turns malicious. Each bad input is rejected (the group's state and histories stay as they were), logged
 * with one warning line naming the reason, without stack trace, and the group goes on chatting. See
 * docs/SECURITY.md for what each one shows.
 */
class BadPeersTest {

    @TempDir
    Path dir;

    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final Logger rootLogger = Logger.getLogger("");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LocalNode alice;
    private LocalNode bob;
    private Ed25519Identity bobsKey;
    private GroupInfo group;
    /** A CHAT frame bob sent alice: what a malicious bob works from. */
    private byte[] bobsChat;
    private final List<LocalNode> others = new ArrayList<>();

    @BeforeEach
    void formGroup() {
        rootLogger.addHandler(capture);
        alice = LocalNode.start(dir.resolve("alice"));
        bobsKey = identityIn(dir.resolve("bob"));
        bob = LocalNode.start(dir.resolve("bob"));
        List<byte[]> chatsFromBob = tapChatsFromBob();
        group = alice.chat().createGroup("pair");
        group = alice.chat().invite(group.id(), bob.address()).toCompletableFuture().join();
        bob.chat().send(group.id(), "from bob").toCompletableFuture().join();
        await().until(() -> !chatsFromBob.isEmpty());
        bobsChat = chatsFromBob.get(0);
        assertChatStillWorks("before");
        warnings.clear();
    }

    @AfterEach
    void stop() {
        rootLogger.removeHandler(capture);
        others.forEach(LocalNode::close);
        alice.close();
        bob.close();
    }

    /** The identity a node started on {@code dataDir} will have, made beforehand so that the test can sign as it. */
    private static Ed25519Identity identityIn(Path dataDir) {
        try (MVStateStore store = MVStateStore.open(dataDir)) {
            return Ed25519Identity.loadOrCreate(store, new BouncyCastleProvider());
        }
    }

    /** Keeps the CHAT frames alice gets from bob, passing everything on to her engine. */
    private List<byte[]> tapChatsFromBob() {
        List<byte[]> chats = new CopyOnWriteArrayList<>();
        FrameReceiver engine = (FrameReceiver) alice.chat();
        alice.transport().setReceiver((from, type, body) -> {
            if (from.equals(bob.address().peerId())) {
                chats.addAll(HostileFrames.chatsIn(type, body));
            }
            engine.onFrame(from, type, body);
        });
        return chats;
    }

    private LocalNode other(String name) {
        LocalNode node = LocalNode.start(dir.resolve(name));
        others.add(node);
        return node;
    }

    private void fromBob(int type, byte[] body) {
        bob.transport().send(alice.address(), type, body).toCompletableFuture().join();
    }

    @Test
    void aMessageChangedAfterItsAuthorSignedItIsRejected() {
        fromBob(FrameType.CHAT, HostileFrames.forged(bobsChat, "bob never wrote this"));
        assertOneWarning("bad signature");
        assertHistories("from bob", "before", "to let any further warning arrive");
    }

    @Test
    void aReplayedMessageIsDroppedAsTheDuplicateItIs() {
        fromBob(FrameType.CHAT, bobsChat);
        assertChatStillWorks("in between");
        fromBob(FrameType.CHAT, bobsChat);
        // Bob's next message comes over the same connection, after the replays.
        bob.chat().send(group.id(), "after the replays").toCompletableFuture().join();
        await().until(() -> texts(alice).contains("after the replays"));

        assertHistories("from bob", "before", "in between", "after the replays");
        // The broadcast itself hands messages on twice at times (reroutes, mixed topologies): not news.
        assertEquals(List.of(), warningTexts());
    }

    @Test
    void aPeerOfAnEarlierVersionIsRefusedWithOneLine() {
        // The broadcast acknowledged per message per hop: a CHAT as it was, then a CHAT_ACK.
        fromBob(FrameType.CHAT_V1, Arrays.copyOfRange(bobsChat, 16, bobsChat.length));
        fromBob(FrameType.CHAT_ACK_V1, Arrays.copyOfRange(bobsChat, 16, 16 + 48));
        assertOneWarning("that node runs an earlier version, whose broadcast this version no longer speaks");
        assertHistories("from bob", "before", "to let any further warning arrive");
    }

    @Test
    void aMessageByAStrangerIsRejected() {
        Ed25519Identity strangersKey = identityIn(dir.resolve("stranger"));
        LocalNode stranger = other("stranger");
        stranger.transport().send(alice.address(), FrameType.CHAT,
                HostileFrames.newMessage(bobsChat, strangersKey, "let me in")).toCompletableFuture().join();
        assertOneWarning("relayed by " + stranger.address().peerId() + ": not a member");
        assertHistories("from bob", "before", "to let any further warning arrive");
    }

    @Test
    void aMessageByAStrangerThatAMemberPassesOnIsRejected() {
        Ed25519Identity strangersKey = identityIn(dir.resolve("stranger"));
        fromBob(FrameType.CHAT, HostileFrames.newMessage(bobsChat, strangersKey, "smuggled in"));
        assertOneWarning("its author " + strangersKey.peerId().shortText() + " is not a member as of the state it names");
        assertHistories("from bob", "before", "to let any further warning arrive");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rename", "invite", "remove the owner", "make itself owner"})
    void aStateChangeByAMemberWhoIsNoOwnerIsRejected(String what) {
        Ed25519Identity strangersKey = identityIn(dir.resolve("stranger"));
        Change change = switch (what) {
            case "rename" -> new Change.Rename("hijacked");
            case "invite" -> new Change.AddMember(new PeerAddress(strangersKey.peerId(), "127.0.0.1", 7999), true);
            case "remove the owner" -> new Change.RemoveMember(alice.address().peerId());
            default -> new Change.GrantOwner(bobsKey.peerId());
        };
        fromBob(FrameType.STATE, HostileFrames.stateChange(bobsChat, bobsKey, change));

        assertOneWarning("by " + bobsKey.peerId().shortText() + ", who is not an owner");
        GroupInfo now = alice.chat().findGroup("pair");
        assertEquals(group.version(), now.version(), "the change is not in alice's log");
        assertEquals(group.members(), now.members());
        assertFalse(now.isOwner(bobsKey.peerId()));
    }

    @Test
    void garbageBytesAreRejectedWithOneLine() throws IOException {
        sendRaw(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 6, 7, 8});
        assertOneWarning("TLS failed");
        assertHistories("from bob", "before", "to let any further warning arrive");
    }

    @Test
    void plaintextIsRejectedWithOneLine() throws IOException {
        sendRaw("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertOneWarning("not TLS (plaintext or garbage bytes)");
        assertHistories("from bob", "before", "to let any further warning arrive");
    }

    @Test
    void aPeerWithTheWrongKeyIsRejectedWithOneLine() {
        LocalNode impostor = other("impostor");
        // Dial bob's host and port, but expect alice's key there: bob's certificate does not match.
        PeerAddress wrong = new PeerAddress(alice.address().peerId(), bob.address().host(), bob.address().port());
        impostor.transport().send(wrong, FrameType.CHAT, bobsChat).toCompletableFuture().exceptionally(e -> null).join();
        assertOneWarning("presented the key of peer " + bob.address().peerId() + ", not of the expected "
                + alice.address().peerId());
        assertHistories("from bob", "before", "to let any further warning arrive");
    }

    @Test
    void anOversizedFrameIsRejectedWithOneLine() {
        LocalNode big = LocalNode.start(dir.resolve("big"), 0, GroupEngine.Settings.defaults(), 4 * LocalNode.DEFAULT_MAX_FRAME_SIZE);
        others.add(big);
        // bob closes the connection on the frame's length field, so the rest of the write may fail
        big.transport().send(bob.address(), FrameType.CHAT, new byte[2 * LocalNode.DEFAULT_MAX_FRAME_SIZE])
                .toCompletableFuture().exceptionally(e -> null).join();
        assertOneWarning("frame length " + (2 * LocalNode.DEFAULT_MAX_FRAME_SIZE + 2) + " is over the limit of "
                + (LocalNode.DEFAULT_MAX_FRAME_SIZE + 2));
        assertHistories("from bob", "before", "to let any further warning arrive");
    }

    @Test
    void aMalformedFrameFromAStrangerIsRejectedWithOneLine() {
        LocalNode stranger = other("stranger");
        // Authenticated by TLS, but not in the group, and the CHAT body does not even decode.
        stranger.transport().send(bob.address(), FrameType.CHAT, new byte[] {0, 1, 2}).toCompletableFuture().join();
        assertOneWarning("rejected malformed CHAT frame from " + stranger.address().peerId() + ": truncated");
        assertHistories("from bob", "before", "to let any further warning arrive");
    }

    @Test
    void aFloodOfConnectionsFromOneAddressIsBoundedWhileAPeerElsewhereJoinsAndChats() throws Exception {
        List<SocketChannel> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                SocketChannel connection = SocketChannel.open();
                flood.add(connection);
                connection.bind(new InetSocketAddress("127.0.0.2", 0)).connect(
                        new InetSocketAddress(bob.address().host(), bob.address().port()));
            }
            // Past the transport's default of 32 handshakes per address (NettyTransportTest counts them), bob refuses them.
            await().until(() -> warningTexts().stream().anyMatch(w -> w.contains("max.handshakes.per.address")));

            // During the flood a newcomer dials bob to ask to join; alice lets it in, and it writes.
            LocalNode carol = other("carol");
            carol.chat().requestJoin(bob.address(), group.id()).toCompletableFuture().join();
            await().until(() -> alice.chat().joinRequests().size() == 1);
            alice.chat().acceptJoin(group.id(), carol.address().peerId()).toCompletableFuture().join();
            await().until(() -> !carol.chat().groups().isEmpty());
            carol.chat().send(group.id(), "hi from carol").toCompletableFuture().join();
            await().until(() -> texts(bob).contains("hi from carol"));
        } finally {
            for (SocketChannel connection : flood) {
                connection.close();
            }
        }

        List<String> refusals = warningTexts().stream().filter(w -> w.contains("max.handshakes.per.address")).toList();
        assertEquals(1, refusals.size(), "one line for the whole flood: " + refusals);
        assertTrue(refusals.get(0).contains("already 32 TLS handshakes in progress from 127.0.0.2"), refusals.get(0));
        // Had the test outlasted the handshake timeout, the flood's waiting connections are closed for it, each
        // with its own line: a bounded number.
        assertEquals(List.of(), warningTexts().stream().filter(w -> !w.contains("max.handshakes.per.address")
                && !(w.contains("from /127.0.0.2:") && w.endsWith(": TLS handshake timed out"))).toList());
        assertChatStillWorks("after the flood");
    }

    private void sendRaw(byte[] bytes) throws IOException {
        try (Socket socket = new Socket(bob.address().host(), bob.address().port())) {
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            // Bob closes the connection once it has judged the bytes.
            socket.getInputStream().readAllBytes();
        }
    }

    /** Waits for the warning, checks that the group still chats, then that it was the only one. */
    private void assertOneWarning(String reason) {
        await().until(() -> !warnings.isEmpty());
        assertChatStillWorks("to let any further warning arrive");
        List<String> texts = warningTexts();
        assertEquals(1, texts.size(), () -> "one line per bad peer, got: " + texts);
        assertTrue(texts.get(0).contains(reason), () -> "the line names the reason '" + reason + "': " + texts.get(0));
        assertFalse(texts.get(0).contains("\n"), "one line");
        assertNull(warnings.get(0).getThrown(), "no stack trace");
    }

    private List<String> warningTexts() {
        return warnings.stream().map(r -> r.getLoggerName() + ": " + formatter.formatMessage(r)).toList();
    }

    /** Both members hold exactly these messages, in this order: nothing forged, nothing twice. */
    private void assertHistories(String... texts) {
        assertEquals(List.of(texts), texts(alice));
        await().until(() -> texts(bob).size() == texts.length);
        assertEquals(List.of(texts), texts(bob));
    }

    private List<String> texts(LocalNode node) {
        return node.chat().history(group.id()).stream().map(ChatMessage::text).toList();
    }

    private void assertChatStillWorks(String text) {
        alice.chat().send(group.id(), text).toCompletableFuture().join();
        await().until(() -> alice.chat().history(group.id()).stream()
                .anyMatch(m -> m.text().equals(text) && m.delivery().status() == Delivery.Status.CONFIRMED));
        await().until(() -> bob.chat().history(group.id()).stream().map(ChatMessage::text).anyMatch(text::equals));
    }
}
