package org.ringchat.itests.harness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.PeerAddress;
import org.ringchat.group.internal.GroupEngine;

/**
 * Bad peers hit a member of a live group: each is rejected with one warning line, and the group goes
 * on chatting.
 */
class BadPeersTest {

    @TempDir
    Path dir;

    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
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
    private GroupInfo group;

    @BeforeEach
    void formGroup() {
        rootLogger.addHandler(capture);
        alice = LocalNode.start(dir.resolve("alice"));
        bob = LocalNode.start(dir.resolve("bob"));
        group = alice.chat().createGroup("pair");
        group = alice.chat().invite(group.id(), bob.address()).toCompletableFuture().join();
        assertChatStillWorks("before");
        warnings.clear();
    }

    @AfterEach
    void stop() {
        rootLogger.removeHandler(capture);
        alice.close();
        bob.close();
    }

    @Test
    void garbageBytesAreRejectedWithOneLine() throws IOException {
        sendRaw(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 6, 7, 8});
        awaitOneWarning();
        assertChatStillWorks("after garbage");
    }

    @Test
    void plaintextIsRejectedWithOneLine() throws IOException {
        sendRaw("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        awaitOneWarning();
        assertChatStillWorks("after plaintext");
    }

    @Test
    void aPeerWithTheWrongKeyIsRejectedWithOneLine() {
        try (LocalNode impostor = LocalNode.start(dir.resolve("impostor"))) {
            // Dial bob's host and port, but expect alice's key there: bob's certificate does not match.
            PeerAddress wrong = new PeerAddress(alice.address().peerId(), bob.address().host(), bob.address().port());
            impostor.transport().send(wrong, 0x20, new byte[] {1}).toCompletableFuture().exceptionally(e -> null).join();
            awaitOneWarning();
        }
        assertChatStillWorks("after the wrong key");
    }

    @Test
    void anOversizedFrameIsRejectedWithOneLine() {
        try (LocalNode big = LocalNode.start(dir.resolve("big"), 0, GroupEngine.Settings.defaults(),
                4 * LocalNode.DEFAULT_MAX_FRAME_SIZE)) {
            // bob closes the connection on the frame's length field, so the rest of the write may fail
            big.transport().send(bob.address(), 0x20, new byte[2 * LocalNode.DEFAULT_MAX_FRAME_SIZE])
                    .toCompletableFuture().exceptionally(e -> null).join();
            awaitOneWarning();
        }
        assertChatStillWorks("after an oversized frame");
    }

    @Test
    void aMalformedFrameFromAStrangerIsRejectedWithOneLine() {
        try (LocalNode stranger = LocalNode.start(dir.resolve("stranger"))) {
            // Authenticated by TLS, but not in the group, and the CHAT body does not even decode.
            stranger.transport().send(bob.address(), 0x20, new byte[] {0, 1, 2}).toCompletableFuture().join();
            awaitOneWarning();
        }
        assertChatStillWorks("after a stranger");
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

    private void awaitOneWarning() {
        await().until(() -> !warnings.isEmpty());
        assertChatStillWorks("to let any further warning arrive");
        assertEquals(1, warnings.size(), () -> "one line per bad peer, got: " + warnings.stream()
                .map(r -> r.getLoggerName() + ": " + r.getMessage()).toList());
        assertEquals(null, warnings.get(0).getThrown(), "no stack trace");
    }

    private void assertChatStillWorks(String text) {
        alice.chat().send(group.id(), text).toCompletableFuture().join();
        await().until(() -> alice.chat().history(group.id()).stream()
                .anyMatch(m -> m.text().equals(text) && m.delivery().status() == Delivery.Status.CONFIRMED));
        await().until(() -> bob.chat().history(group.id()).stream().map(ChatMessage::text).anyMatch(text::equals));
    }
}
