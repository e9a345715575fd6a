package org.ringchat.itests.processes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every group process of docs/PROTOCOL.md "Processes", driven through the shells of separate
 * {@code bin/ringchat} processes only: create with an invitation, a join request passed on by a member
 * and accepted, one asked of the owner directly and declined, ownership, rename, a refused rename,
 * kick, leave; and a member stopped cleanly that, once restarted, catches up on the messages and the
 * rename it missed, and prints its progress as it does.
 * <p>
 * Each test starts its processes once and takes them through all its steps (a process start costs
 * seconds). Output lines whose format is fixed (ChatCommands) are compared exactly; what travels between
 * processes is awaited.
 */
class GroupProcessesAcrossProcessesIT {

    /** What 'groups' says on a node in no group. */
    private static final List<String> NO_GROUPS = List.of("no groups yet; 'create <name>' makes one");

    private static final String GROUP_ID = "[0-9a-f]{64}";
    private static final Pattern REQUEST_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  .*");
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final int AWAY = 20;

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void createJoinRejectOwnerRenameKickAndLeaveThroughTheShellsOfFourProcesses() {
        NodeProcess a = nodes.start("a");
        NodeProcess b = nodes.start("b");
        NodeProcess c = nodes.start("c");
        NodeProcess d = nodes.start("d");
        String aAddress = a.address();
        String bAddress = b.address();
        String cAddress = c.address();
        String dAddress = d.address();

        // 1. create with an initial invitation: b is in at once, both see each other online
        List<String> created = a.run("create team " + bAddress);
        assertEquals(2, created.size(), "create prints the group ID, then one line per invitation: " + created);
        String groupId = created.get(0);
        assertTrue(groupId.matches(GROUP_ID), "group ID: " + groupId);
        assertEquals(b.shortId() + " joined 'team', now 2 members", created.get(1));
        assertEquals(List.of(groupId + "  team  2 members"), a.run("groups"));
        assertEquals(List.of(groupId + "  team  2 members"), b.run("groups"), "b stored the group before it acknowledged");
        assertEquals(List.of(aAddress + "  owner  online  (me)", bAddress + "  member  online"), a.run("members team"));
        awaitLines(b, "members team", List.of(aAddress + "  owner  online", bAddress + "  member  online  (me)"));

        // 2. c asks b (a plain member) to join; b passes the request on to the owner a, who accepts it
        assertEquals(List.of("asked " + b.shortId() + " to let this node into group " + groupId + "; an owner will decide"),
                c.run("join " + bAddress + " " + groupId));
        await("c's request passed on by b reaches a").atMost(SETTLE).pollInterval(POLL)
                .untilAsserted(() -> assertRequests(a, "team  " + cAddress + "  via " + b.shortId()));
        assertEquals(List.of(), b.run("requests"), "b is no owner: it passes requests on and keeps none");
        assertEquals(NO_GROUPS, c.run("groups"), "c is not in before an owner accepts");
        assertEquals(List.of(c.shortId() + " joined 'team', now 3 members"), a.run("accept team " + c.shortId()));
        assertEquals(List.of(), a.run("requests"), "a request is dropped once the requester is a member");
        assertEquals(List.of(groupId + "  team  3 members"), c.run("groups"));
        awaitLines(b, "groups", List.of(groupId + "  team  3 members"));
        List<String> threeMembers = List.of(aAddress + "  owner  online", bAddress + "  member  online",
                cAddress + "  member  online");
        awaitMembers(a, "team", threeMembers);
        awaitMembers(b, "team", threeMembers);
        awaitMembers(c, "team", threeMembers);

        List<String> sent = c.run("send team hello from c");
        assertEquals(1, sent.size(), "send prints one line: " + sent);
        assertTrue(sent.get(0).matches("sent [0-9a-f]{32} \\((acknowledged, 2/3|confirmed 3/3)\\)"), "c's send: " + sent);
        String hello = c.shortId() + ": hello from c";
        await("c's message comes back round to c").atMost(SETTLE).pollInterval(POLL)
                .untilAsserted(() -> assertEquals(List.of(hello + " [confirmed 3/3]"), statusLines(History.of(c, "team")),
                        "c's history"));
        for (NodeProcess node : List.of(a, b)) {
            await("c's message at " + node.name()).atMost(SETTLE).pollInterval(POLL).untilAsserted(() -> {
                History history = History.of(node, "team");
                assertEquals(List.of(hello), history.messages(), node.name() + "'s history");
                String delivery = history.entries().get(0).delivery();
                assertTrue(delivery.equals("received") || delivery.equals("confirmed 3/3"),
                        node.name() + " shows c's message as " + delivery);
            });
        }

        // 3. d asks the owner a directly; a declines; d stays out
        assertEquals(List.of("asked " + a.shortId() + " to let this node into group " + groupId + "; an owner will decide"),
                d.run("join " + aAddress + " " + groupId));
        assertRequests(a, "team  " + dAddress); // an owner asked directly keeps the request before it answers
        assertEquals(List.of("declined the request of " + d.shortId() + " to join 'team'"), a.run("reject team " + d.shortId()));
        assertEquals(List.of(), a.run("requests"));
        assertEquals(NO_GROUPS, d.run("groups"));
        assertEquals(List.of(groupId + "  team  3 members"), a.run("groups"));

        // 4. a makes b an owner; b renames the group; c, a plain member, may not
        assertEquals(List.of(b.shortId() + " is now an owner of 'team'"), a.run("owner team " + b.shortId() + " on"));
        List<String> twoOwners = List.of(aAddress + "  owner  online", bAddress + "  owner  online",
                cAddress + "  member  online");
        awaitMembers(a, "team", twoOwners);
        awaitMembers(b, "team", twoOwners);
        awaitMembers(c, "team", twoOwners);
        assertEquals(List.of("renamed 'team' to 'crew'"), b.run("rename team crew"));
        for (NodeProcess node : List.of(a, b, c)) {
            awaitLines(node, "groups", List.of(groupId + "  crew  3 members"));
        }
        NodeProcess.Output refused = c.exec("rename crew nope", NodeProcess.COMMAND_TIMEOUT);
        assertEquals(List.of(), refused.stdout(), "a refused rename prints nothing on stdout");
        assertEquals(List.of("error: only an owner can change 'crew'"), refused.errors(), "c's rename, on stderr");
        for (NodeProcess node : List.of(a, b, c)) {
            assertEquals(List.of(groupId + "  crew  3 members"), node.run("groups"), "a refused rename changes nothing");
        }

        // 5. b, now an owner, removes c, who forgets the group; then a leaves, and b is alone and owner
        assertEquals(List.of("removed " + c.shortId() + " from 'crew', now 2 members"), b.run("kick crew " + c.shortId()));
        awaitLines(c, "groups", NO_GROUPS);
        for (NodeProcess node : List.of(a, b)) {
            awaitLines(node, "groups", List.of(groupId + "  crew  2 members"));
        }
        List<String> aAndB = List.of(aAddress + "  owner  online", bAddress + "  owner  online");
        awaitMembers(a, "crew", aAndB);
        awaitMembers(b, "crew", aAndB);

        assertEquals(List.of("left 'crew'"), a.run("leave crew"));
        assertEquals(NO_GROUPS, a.run("groups"), "the leaver forgets the group at once");
        awaitLines(b, "groups", List.of(groupId + "  crew  1 member"));
        awaitLines(b, "members crew", List.of(bAddress + "  owner  online  (me)"));

        assertEquals(NO_GROUPS, c.run("groups"), "c stays out");
        assertEquals(NO_GROUPS, d.run("groups"), "d stays out");
        for (NodeProcess node : List.of(a, b, d)) {
            assertEquals(List.of(), node.errors(), "errors at " + node.name());
        }
        assertEquals(List.of("error: only an owner can change 'crew'"), c.errors(), "errors at c");
    }

    @Test
    void aMemberStoppedCleanlyCatchesUpOnTheMessagesAndTheRenameItMissed() {
        NodeProcess a = nodes.start("a");
        NodeProcess b = nodes.start("b");
        NodeProcess c = nodes.start("c");
        String aAddress = a.address();
        String bAddress = b.address();
        String cAddress = c.address();
        String aShort = a.shortId();
        String bShort = b.shortId(); // while b runs: shortId() asks the node

        List<String> created = a.run("create team " + bAddress + " " + cAddress);
        assertEquals(3, created.size(), "create prints the group ID, then one line per invitation: " + created);
        String groupId = created.get(0);
        assertTrue(groupId.matches(GROUP_ID), "group ID: " + groupId);
        assertEquals(List.of(bShort + " joined 'team', now 2 members", c.shortId() + " joined 'team', now 3 members"),
                created.subList(1, 3));
        for (NodeProcess node : List.of(a, b, c)) {
            awaitLines(node, "groups", List.of(groupId + "  team  3 members"));
        }
        assertSent(a.run("send team all three here"), "acknowledged, 2/3|confirmed 3/3");
        List<String> expected = new ArrayList<>(List.of(aShort + ": all three here"));
        await("the first message confirmed at a").atMost(SETTLE).pollInterval(POLL)
                .untilAsserted(() -> assertEquals(List.of(expected.get(0) + " [confirmed 3/3]"),
                        statusLines(History.of(a, "team"))));
        awaitMessages(b, "team", expected);
        awaitMessages(c, "team", expected);

        // b stops cleanly and tells the others so
        assertEquals(0, b.stop(), "exit status of a clean stop");
        awaitLines(a, "members team", List.of(aAddress + "  owner  online  (me)", bAddress + "  member  offline",
                cAddress + "  member  online"));

        // a writes while b is away, renaming the group half-way
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < AWAY; i++) {
            if (i == AWAY / 2) {
                commands.add("rename team crew");
            }
            String text = String.format("while b is away %02d", i);
            commands.add("send " + (i < AWAY / 2 ? "team" : "crew") + " " + text);
            expected.add(aShort + ": " + text);
        }
        NodeProcess.Output away = a.submit(commands).await(Duration.ofSeconds(90));
        assertEquals(List.of(), away.errors(), "a's errors while b is away");
        assertEquals(AWAY + 1, away.stdout().size(), "one line per command: " + away.stdout());
        for (int i = 0; i < away.stdout().size(); i++) {
            String line = away.stdout().get(i);
            if (i == AWAY / 2) {
                assertEquals("renamed 'team' to 'crew'", line);
            } else {
                assertTrue(line.matches("sent [0-9a-f]{32} \\((acknowledged, 2/3|confirmed 2/3)\\)"),
                        "a's send while b is away: " + line);
            }
        }
        await("a's messages come back round to a").atMost(SETTLE).pollInterval(POLL).untilAsserted(() -> {
            History history = History.of(a, "crew");
            assertEquals(expected, history.messages(), "a's history");
            assertEquals("confirmed 2/3, missing " + bShort, history.entries().get(AWAY).delivery(),
                    "a's last message, which b missed");
        });
        awaitLines(c, "groups", List.of(groupId + "  crew  3 members"));
        awaitMessages(c, "crew", expected);

        // b comes back with the same data directory and port: it catches up on the rename and the messages
        // No command is sent to b until its catch-up has finished, as when a user starts a node and waits:
        // the catch-up at start then runs while no shell command does. Done is the shell's progress line
        // or, should that be missing, the engine's log line "caught up on 'crew': ..." (both on stderr).
        b.restart();
        String progressDone = "catching up on 'crew': " + AWAY + "/" + AWAY + " messages, done";
        await("b's catch-up at start, seen on its stderr").atMost(SETTLE).pollInterval(POLL)
                .until(() -> b.stderr().stream().anyMatch(l -> l.equals(progressDone) || l.contains("caught up on 'crew'")));
        assertEquals(bAddress, b.address(), "same identity and port after the restart");
        awaitLines(b, "groups", List.of(groupId + "  crew  3 members"));
        List<String> aHistory = History.of(a, "crew").messages();
        assertEquals(expected, aHistory);
        awaitMessages(b, "crew", aHistory);
        assertEquals(List.of(), History.of(b, "crew").duplicates(), "duplicates at b");
        awaitLines(a, "members crew", List.of(aAddress + "  owner  online  (me)", bAddress + "  member  online",
                cAddress + "  member  online"));

        // and takes part in the ring again
        assertSent(b.run("send crew b is back"), "acknowledged, 2/3|confirmed 3/3");
        expected.add(bShort + ": b is back");
        await("b's message comes back round to b").atMost(SETTLE).pollInterval(POLL).untilAsserted(() -> {
            History history = History.of(b, "crew");
            assertEquals(expected, history.messages(), "b's history");
            assertEquals("confirmed 3/3", history.entries().get(expected.size() - 1).delivery(), "b's message at b");
        });
        awaitMessages(a, "crew", expected);
        awaitMessages(c, "crew", expected);

        for (NodeProcess node : List.of(a, b, c)) {
            assertEquals(List.of(), node.errors(), "errors at " + node.name());
        }

        // README: "When a node starts, it catches up on what its groups said while it was away, and prints
        // its progress" (CatchUpProgress: about every tenth of the way, and at the end).
        assertTrue(b.stderr().contains(progressDone), "b printed '" + progressDone + "' for its catch-up at start;"
                + " its catch-up lines on stderr: " + b.stderr().stream().filter(l -> l.contains("catching up")
                        || l.contains("caught up")).toList());
    }

    // ---------------------------------------------------------------- helpers

    /** Awaits the exact output of a command. */
    private static void awaitLines(NodeProcess node, String command, List<String> expected) {
        await("'" + command + "' at " + node.name()).atMost(SETTLE).pollInterval(POLL)
                .untilAsserted(() -> assertEquals(expected, node.run(command), "'" + command + "' at " + node.name()));
    }

    /**
     * Awaits {@code members <group>} at the node: the lines given as every member sees them, with
     * {@code (me)} appended to the node's own line.
     */
    private static void awaitMembers(NodeProcess node, String group, List<String> members) {
        String self = node.address() + "  ";
        List<String> expected = members.stream().map(l -> l.startsWith(self) ? l + "  (me)" : l).toList();
        awaitLines(node, "members " + group, expected);
    }

    /** Awaits the node's history of the group: these messages ({@code author: text}), in this order. */
    private static void awaitMessages(NodeProcess node, String group, List<String> expected) {
        List<String> copy = List.copyOf(expected);
        await("history of '" + group + "' at " + node.name()).atMost(SETTLE).pollInterval(POLL)
                .untilAsserted(() -> assertEquals(copy, History.of(node, group).messages(), node.name() + "'s history"));
    }

    /** The owner's {@code requests} is exactly one request: a time, then {@code rest}. */
    private static void assertRequests(NodeProcess owner, String rest) {
        List<String> lines = owner.run("requests");
        assertEquals(1, lines.size(), "one request waiting at " + owner.name() + ": " + lines);
        String line = lines.get(0);
        assertTrue(REQUEST_TIME.matcher(line).matches() && line.substring(21).equals(rest),
                "request at " + owner.name() + ": '" + line + "', expected '<yyyy-MM-dd HH:mm:ss>  " + rest + "'");
    }

    private static void assertSent(List<String> output, String deliveries) {
        assertEquals(1, output.size(), "send prints one line: " + output);
        assertTrue(output.get(0).matches("sent [0-9a-f]{32} \\((" + deliveries + ")\\)"), "send: " + output.get(0));
    }

    private static List<String> statusLines(History history) {
        return history.entries().stream().map(e -> e.message() + " [" + e.delivery() + "]").toList();
    }
}
