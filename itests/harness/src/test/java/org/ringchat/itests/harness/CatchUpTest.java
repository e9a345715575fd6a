package org.ringchat.itests.harness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.MessageId;
import org.ringchat.group.internal.GroupEngine;

/** A member that was offline while the others exchanged 5,000 messages catches up on all of them. */
class CatchUpTest {

    private static final int MISSED = 5000;

    @TempDir
    Path dir;

    private final List<LocalNode> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(LocalNode::close);
    }

    private LocalNode start(String name, int port) {
        LocalNode node = LocalNode.start(dir.resolve(name), port, GroupEngine.Settings.defaults());
        running.add(node);
        return node;
    }

    @Test
    void anOfflineMemberCatchesUpOnFiveThousandMessagesInTheSameOrder() {
        LocalNode alice = start("alice", 0);
        LocalNode bob = start("bob", 0);
        LocalNode carol = start("carol", 0);
        int carolPort = carol.address().port();
        GroupInfo group = alice.chat().createGroup("catch-up");
        alice.chat().invite(group.id(), bob.address()).toCompletableFuture().join();
        alice.chat().invite(group.id(), carol.address()).toCompletableFuture().join();
        alice.chat().send(group.id(), "before carol left").toCompletableFuture().join();
        await().until(() -> carol.chat().history(group.id()).size() == 1);

        carol.close();
        running.remove(carol);
        for (int start = 0; start < MISSED; start += 100) {
            List<CompletableFuture<ChatMessage>> chunk = new ArrayList<>();
            for (int i = start; i < start + 100; i++) {
                chunk.add((i % 2 == 0 ? alice : bob).chat().send(group.id(), "missed " + i).toCompletableFuture());
            }
            chunk.forEach(CompletableFuture::join);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> alice.chat().history(group.id()).size() == MISSED + 1
                && bob.chat().history(group.id()).size() == MISSED + 1);

        LocalNode back = start("carol", carolPort);

        await().atMost(Duration.ofSeconds(60)).until(() -> back.chat().history(group.id()).size() == MISSED + 1);
        List<MessageId> order = ids(alice, group);
        assertEquals(order, ids(bob, group));
        assertEquals(order, ids(back, group), "carol shows the same history in the same order");
    }

    private static List<MessageId> ids(LocalNode node, GroupInfo group) {
        return node.chat().history(group.id()).stream().map(ChatMessage::id).toList();
    }
}
