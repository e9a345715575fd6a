package org.ringchat.itests.processes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Chat mode through {@code bin/ringchat} processes: bob chats in script mode, his stdin a FIFO the test
 * writes to line by line, while alice and carol are ordinary nodes driven by {@link NodeProcess}.
 */
class ChatModeIT {

    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void chatModeSendsLinesAsTypedAndPrintsMessagesJoinsAndLeavesAsTheyArrive() throws Exception {
        NodeProcess alice = nodes.start("alice");
        Path fifo = nodes.workDir().resolve("bob.in");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
        int bobPort = Ports.pick();
        // opened for reading and writing, so that neither this open nor bin/ringchat's blocks
        try (RandomAccessFile bobInput = new RandomAccessFile(fifo.toFile(), "rw");
                TracedProcess bob = TracedProcess.start(nodes.workDir().resolve("bob.log"), fifo, List.of("--data",
                        nodes.workDir().resolve("bob").toString(), "--listen", "127.0.0.1:" + bobPort, "--http", "off"))) {
            type(bobInput, "id");
            String bobAddress = bob.stdout().await("bob's address", l -> l.endsWith("@127.0.0.1:" + bobPort),
                    NodeProcess.STARTUP_TIMEOUT.plus(ARRIVAL));

            String groupId = alice.run("create friends").get(0);
            alice.run("invite friends " + bobAddress);
            // an invitation prints in the ordinary shell (on stderr in script mode, as other notices)
            bob.stderr().await("the invitation", l -> l.equals("joined 'friends', now 2 members; 'chat friends' to talk there"), ARRIVAL);

            type(bobInput, "chat friends");
            bob.stdout().await("chat mode", l -> l.startsWith("chatting in 'friends' (2 members)"), ARRIVAL);

            String fromAlice = "it's me; $5 | {x}  two  spaces";
            alice.run("send friends " + fromAlice);
            bob.stdout().await("alice's message", l -> l.endsWith("  " + alice.shortId() + "  " + fromAlice), ARRIVAL);

            String fromBob = "hi 'alice'? $HOME; a | b {x}";
            type(bobInput, fromBob);
            bob.stdout().await("bob's message sent", l -> l.startsWith("sent "), ARRIVAL);
            await("bob's message at alice").atMost(ARRIVAL).until(() -> alice.run("history friends").stream()
                    .anyMatch(l -> l.contains("  " + bob.stdout().all().get(0).substring(0, 8) + "  " + fromBob + "  [")));

            // carol asks to join: alice, the owner, is told; she accepts, bob sees carol join, then leave
            NodeProcess carol = nodes.start("carol");
            String carolShort = carol.shortId();
            carol.run("join " + alice.address() + " " + groupId);
            await("the join request at alice").atMost(ARRIVAL).until(() -> alice.stderr().stream()
                    .anyMatch(l -> l.startsWith(carolShort + " asks to join 'friends': 'accept friends " + carolShort + "'")));
            alice.run("accept friends " + carolShort);
            bob.stdout().await("carol joining", l -> l.equals(carolShort + " joined 'friends'"), ARRIVAL);
            carol.run("leave friends");
            bob.stdout().await("carol leaving", l -> l.equals(carolShort + " left 'friends'"), ARRIVAL);

            type(bobInput, "/members");
            type(bobInput, "/exit");
            bob.stdout().await("chat mode left", l -> l.equals("left chat mode in 'friends'"), ARRIVAL);
            bobInput.close(); // the end of bob's script
            assertEquals(0, bob.awaitExit(ARRIVAL), "bob's exit status");
            assertTrue(bob.stdout().all().stream().anyMatch(l -> l.startsWith(alice.address() + "  owner  ")),
                    "/members lists the chat's group: " + bob.stdout().all());
            assertEquals(List.of(), bob.stderr().all().stream().filter(l -> l.startsWith("error: ")).toList());
        }
    }

    private static void type(RandomAccessFile input, String line) throws IOException {
        input.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
