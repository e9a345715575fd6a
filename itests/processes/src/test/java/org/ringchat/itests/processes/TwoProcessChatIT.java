package org.ringchat.itests.processes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two separate bin/ringchat processes chat through their shells, as the README's walkthrough does. */
class TwoProcessChatIT {

    private static final String GROUP_ID = "[0-9a-f]{64}";
    private static final String SENT_2_OF_2 = "sent [0-9a-f]{32} \\((acknowledged, 2/2|confirmed 2/2)\\)";

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void twoProcessesCreateInviteChatAndKeepTheirHistoryAcrossARestart() {
        NodeProcess alice = nodes.start("alice");
        NodeProcess bob = nodes.start("bob");

        String bobAddress = bob.address();
        assertTrue(bobAddress.endsWith("@" + bob.listen()), bobAddress);
        assertTrue(alice.address().endsWith("@" + alice.listen()), alice.address());
        // kill() relies on this: bin/ringchat execs java, so the process started is the node's JVM
        assertTrue(bob.command().orElse("").endsWith("/java"), "the process is the JVM: " + bob.command());

        List<String> created = alice.run("create friends");
        assertEquals(1, created.size(), "create prints the group ID: " + created);
        String groupId = created.get(0);
        assertTrue(groupId.matches(GROUP_ID), groupId);

        assertEquals(List.of(bob.shortId() + " joined 'friends', now 2 members"), alice.run("invite friends " + bobAddress));
        assertEquals(List.of(groupId + "  friends  2 members"), bob.run("groups"));
        assertEquals(List.of(alice.address() + "  owner  online", bobAddress + "  member  online  (me)"),
                bob.run("members friends"));

        assertSent(alice.run("send friends hello bob"));
        assertSent(bob.run("send " + groupId.substring(0, 8) + " hi alice")); // a group by a prefix of its ID

        List<String> expected = List.of(
                alice.shortId() + ": hello bob [confirmed 2/2]",
                bob.shortId() + ": hi alice [confirmed 2/2]");
        awaitHistory(alice, expected);
        awaitHistory(bob, expected);

        // A clean stop (end of input), a restart with the same data directory and port: same identity,
        // same group, same history; and the restarted node takes new messages again.
        assertEquals(0, bob.stop(), "exit status of a clean stop");
        bob.restart();
        assertEquals(bobAddress, bob.address(), "same identity and port after the restart");
        assertEquals(List.of(groupId + "  friends  2 members"), bob.run("groups"));
        assertEquals(expected, statusLines(History.of(bob, "friends")));

        assertSent(alice.run("send friends welcome back"));
        List<String> after = List.of(expected.get(0), expected.get(1), alice.shortId() + ": welcome back [confirmed 2/2]");
        awaitHistory(alice, after);
        awaitHistory(bob, after);

        assertEquals(List.of(), alice.errors(), "alice's errors");
        assertEquals(List.of(), bob.errors(), "bob's errors");
    }

    @Test
    void aFailingCommandPrintsOneErrorLineAndTheScriptGoesOn() {
        NodeProcess node = nodes.start("solo");
        NodeProcess.Output output = node.exec("history nosuchgroup", Duration.ofSeconds(30));
        assertEquals(List.of(), output.stdout());
        assertEquals(List.of("error: no group named 'nosuchgroup' or with an ID starting with it; see 'groups'"),
                output.errors());
        assertEquals(List.of("still here"), node.run("echo still here"));
        assertEquals(output.errors(), node.errors());
    }

    private static void assertSent(List<String> output) {
        assertEquals(1, output.size(), "send prints one line: " + output);
        assertTrue(output.get(0).matches(SENT_2_OF_2), "send: " + output.get(0));
    }

    private static void awaitHistory(NodeProcess node, List<String> expected) {
        await("history of 'friends' at " + node.name()).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertEquals(expected, statusLines(History.of(node, "friends")),
                        "history at " + node.name()));
    }

    private static List<String> statusLines(History history) {
        return history.entries().stream().map(e -> e.message() + " [" + e.delivery() + "]").toList();
    }
}
