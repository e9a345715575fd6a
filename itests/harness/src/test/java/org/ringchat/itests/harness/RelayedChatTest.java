package org.ringchat.itests.harness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.MessageId;
import org.ringchat.api.Presence;
import org.ringchat.api.Reachability;

/**
 * Two members nobody can dial (each advertises a port where nothing listens, as behind a NAT) join through a
 * reachable one, learn that they cannot be dialled, reserve at it, and chat with each other and with it.
 */
class RelayedChatTest {

    private static final int MESSAGES_EACH = 10;

    @TempDir
    Path dir;

    private final List<LocalNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(LocalNode::close);
    }

    @Test
    void twoMembersNobodyCanDialChatThroughAReachableOneAndEveryMessageIsConfirmedByAll() throws IOException {
        LocalNode relay = started(LocalNode.start(dir.resolve("relay")));
        LocalNode alice = started(LocalNode.startUndialable(dir.resolve("alice"), unusedPort()));
        LocalNode bob = started(LocalNode.startUndialable(dir.resolve("bob"), unusedPort()));
        GroupInfo group = relay.chat().createGroup("behind NATs");
        for (LocalNode member : List.of(alice, bob)) {
            member.chat().requestJoin(relay.address(), group.id()).toCompletableFuture().join();
            await().until(() -> !relay.chat().joinRequests().isEmpty());
            relay.chat().acceptJoin(group.id(), member.address().peerId()).toCompletableFuture().join();
        }
        for (LocalNode member : List.of(alice, bob)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> member.chat().reachability().relays()
                    .contains(relay.address().peerId()));
            assertEquals(Reachability.Status.NOT_DIALABLE, member.chat().reachability().status());
        }
        await().until(() -> relay.chat().reachability().status() == Reachability.Status.DIALABLE);
        // Each hears the other over a circuit through the relay: the frames of one come from the other directly.
        await().atMost(Duration.ofSeconds(30)).until(() -> alice.chat().presence(bob.address().peerId()) == Presence.ONLINE
                && bob.chat().presence(alice.address().peerId()) == Presence.ONLINE);

        List<CompletableFuture<ChatMessage>> sends = new ArrayList<>();
        for (int i = 0; i < MESSAGES_EACH; i++) {
            for (LocalNode sender : nodes) {
                sends.add(sender.chat().send(group.id(), "message " + i + " from " + sender.address().peerId().shortText())
                        .toCompletableFuture());
            }
        }
        Set<MessageId> sent = sends.stream().map(send -> send.join().id()).collect(Collectors.toSet());

        for (LocalNode node : nodes) {
            await().atMost(Duration.ofSeconds(60)).until(() -> node.chat().history(group.id()).stream()
                    .filter(m -> m.delivery().status() == Delivery.Status.CONFIRMED && m.delivery().reached() == 3)
                    .count() == sent.size());
            assertEquals(sent, node.chat().history(group.id()).stream().map(ChatMessage::id).collect(Collectors.toSet()));
        }
    }

    private LocalNode started(LocalNode node) {
        nodes.add(node);
        return node;
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
