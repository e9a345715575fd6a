package org.ringchat.itests.processes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Removal that holds (docs/PROTOCOL.md, "Relay" and "Change"), through the shells of three
 * {@code bin/ringchat} processes: a member is SIGKILLed, the owner removes it, the others write; the removed
 * member comes back and writes at once and again later. None of its new messages shows anywhere, and it
 * learns of its removal from the first member it catches up from, keeping its history readable.
 */
class RemovalAcrossProcessesIT {

    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String NOT_A_MEMBER = "error: this node is no longer a member of 'team'";

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void aMemberRemovedWhileKilledLearnsItOnItsReturnAndNoneOfItsNewMessagesShows() {
        NodeProcess a = nodes.start("a");
        NodeProcess b = nodes.start("b");
        NodeProcess c = nodes.start("c");
        String cShort = c.shortId();
        String aShort = a.shortId();
        List<String> created = a.run("create team " + b.address() + " " + c.address());
        String groupId = created.get(0);
        for (NodeProcess node : List.of(a, b, c)) {
            awaitLines(node, "groups", List.of(groupId + "  team  3 members"));
        }
        c.run("send team before my removal");
        String before = cShort + ": before my removal";
        awaitMessages(a, List.of(before));
        awaitMessages(b, List.of(before));

        c.kill();
        assertEquals(List.of("removed " + cShort + " from 'team', now 2 members"), a.run("kick team " + cShort));
        awaitLines(b, "groups", List.of(groupId + "  team  2 members"));
        a.run("send team while c is away");

        long restarted = System.nanoTime();
        c.start();
        NodeProcess.Output atOnce = c.exec("send team I am back", NodeProcess.COMMAND_TIMEOUT);
        assertEquals(List.of(NOT_A_MEMBER), atOnce.errors(), "c's send at once");
        await("c learns of its removal").atMost(SETTLE).pollInterval(POLL)
                .until(() -> c.stderr().stream().anyMatch(l -> l.contains("this node is no longer a member of 'team'")));
        System.out.printf("c learned of its removal %.1f s after its restart%n", (System.nanoTime() - restarted) / 1e9);

        assertEquals(List.of(NOT_A_MEMBER), c.exec("send team and again", NodeProcess.COMMAND_TIMEOUT).errors(),
                "c's send later");
        assertEquals(List.of("no groups yet; 'create <name>' makes one"), c.run("groups"));
        assertTrue(History.of(c, "team").messages().contains(before), "c's history stays readable");

        assertTrue(List.of(a, b).stream().anyMatch(n -> n.stderr().stream()
                .anyMatch(l -> l.contains("told " + cShort + " that it is no longer a member of 'team'"))),
                "a member answered c's catch-up with its removal");

        // c's new messages went only to a and b, which know of the removal: refused, shown nowhere. Its message
        // from before, which nobody answered, stays: the removal names it as c's last (docs/STATE.md).
        a.run("send team marker");
        List<String> expected = List.of(before, aShort + ": while c is away", aShort + ": marker");
        awaitMessages(a, expected);
        awaitMessages(b, expected);
        assertTrue(b.stderr().stream().noneMatch(l -> l.contains("withdrew ")), "b withdrew nothing: " + b.stderr());
    }

    private static void awaitLines(NodeProcess node, String command, List<String> expected) {
        await("'" + command + "' at " + node.name()).atMost(SETTLE).pollInterval(POLL)
                .untilAsserted(() -> assertEquals(expected, node.run(command), "'" + command + "' at " + node.name()));
    }

    private static void awaitMessages(NodeProcess node, List<String> expected) {
        await("history at " + node.name()).atMost(SETTLE).pollInterval(POLL)
                .untilAsserted(() -> assertEquals(expected, History.of(node, "team").messages(), node.name()));
    }
}
