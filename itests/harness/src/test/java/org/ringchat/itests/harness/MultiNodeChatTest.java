package org.ringchat.itests.harness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.MessageId;

/** Five real nodes on loopback, over TLS, form a group and chat. */
class MultiNodeChatTest {

    private static final int NODES = 5;
    private static final int MESSAGES = 100;

    @TempDir
    Path dir;

    private final List<LocalNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(LocalNode::close);
    }

    @Test
    void hundredMessagesFromSeveralSendersReachEveryMemberExactlyOnceAndAreConfirmed() {
        for (int i = 0; i < NODES; i++) {
            nodes.add(LocalNode.start(dir.resolve("node" + i)));
        }
        LocalNode owner = nodes.get(0);
        GroupInfo group = owner.chat().createGroup("five");
        for (LocalNode member : nodes.subList(1, NODES)) {
            group = owner.chat().invite(group.id(), member.address()).toCompletableFuture().join();
        }
        GroupInfo formed = group;
        assertEquals(NODES, formed.members().size());
        for (LocalNode node : nodes) {
            await().until(() -> node.chat().groups().stream().anyMatch(g -> g.version() == formed.version()));
        }

        // Senders take turns; every send runs concurrently with the others.
        Map<MessageId, Integer> senderOf = new HashMap<>();
        List<CompletableFuture<ChatMessage>> sends = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            int sender = i % 3;
            sends.add(nodes.get(sender).chat().send(formed.id(), "message " + i + " from node " + sender)
                    .toCompletableFuture());
        }
        for (int i = 0; i < MESSAGES; i++) {
            senderOf.put(sends.get(i).join().id(), i % 3);
        }

        for (LocalNode node : nodes) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> node.chat().history(formed.id()).size() >= MESSAGES);
            List<ChatMessage> history = node.chat().history(formed.id());
            assertEquals(MESSAGES, history.size(), "exactly once at " + node.address());
            assertEquals(senderOf.keySet(), history.stream().map(ChatMessage::id).collect(java.util.stream.Collectors.toSet()));
        }
        // Each sender gets its confirmations back, and passes them on: every member shows every message
        // confirmed by all five.
        for (LocalNode node : nodes) {
            await().atMost(Duration.ofSeconds(30)).until(() -> node.chat().history(formed.id()).stream()
                    .allMatch(m -> m.delivery().status() == Delivery.Status.CONFIRMED
                            && m.delivery().reached() == NODES));
        }
    }
}
