package org.ringchat.itests.processes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Members behind home NATs, in the {@link InternetLab}: every link 100–120 ms round trip (25 ms + up to 5 ms
 * jitter on each access link), no loss. A member behind a NAT cannot be invited (nobody can dial it): it asks a
 * reachable member to let it in ({@code join}), over a connection of its own, and the owner accepts.
 * Skipped, with the reason, where the lab cannot be made (not root, no iproute2 or iptables).
 */
class NatLabIT {

    private static final String GROUP = "lab";
    private static final LinkProfile HOME_LINK = new LinkProfile(25, 5, 0);
    private static final Duration ARRIVAL = Duration.ofSeconds(60);
    private static final int MESSAGES_EACH = 3;

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    /** Works without relaying: the reachable members reach c over the connections c opened to them. */
    @Test
    void aMemberBehindANatChatsWithTwoReachableMembers() {
        assumeLab();
        NodeProcess a = nodes.create("a", Chaos.JAVA_OPTS);
        NodeProcess b = nodes.create("b", Chaos.JAVA_OPTS);
        NodeProcess c = nodes.create("c", Chaos.JAVA_OPTS);
        InternetLab lab = InternetLab.create(nodes.workDir(), List.of(InternetLab.Member.reachable(a, HOME_LINK),
                InternetLab.Member.reachable(b, HOME_LINK), InternetLab.Member.behindNat(c, HOME_LINK)), seed());
        try {
            System.out.println(lab.describe());
            List.of(a, b, c).forEach(NodeProcess::start);
            a.address(); // a is up
            // the lab is what it says: c dials out through its router; nobody dials c, at its router's address or its own
            assertTrue(lab.canConnect(c, lab.ownAddress(a)), "c reaches a");
            assertFalse(lab.canConnect(a, lab.publicAddress(c)), "the NAT drops a connection to c's router");
            assertFalse(lab.canConnect(a, lab.ownAddress(c)), "c's home address is not routed on the internet");

            chatWithEveryoneConfirmingEverything(a, List.of(b), List.of(c));
        } finally {
            lab.close();
        }
        assertEquals(List.of(), lab.remaining(), "namespaces left after the test");
    }

    /**
     * Issue 15's test for relaying: c and d behind two different NATs cannot dial each other, so only a member
     * that relays between them can bring each one's messages to the other as they are sent. Without relaying
     * they get them through catch-up from a third member, and those stay {@code confirmed 3/4, missing <the
     * other>} for good: "confirmed 4/4" is what catch-up cannot give.
     */
    @Test
    void membersBehindTwoDifferentNatsChatWithEachOtherAndEveryMessageIsConfirmedByAll() {
        assumeLab();
        NodeProcess a = nodes.create("a", Chaos.JAVA_OPTS);
        NodeProcess b = nodes.create("b", Chaos.JAVA_OPTS);
        NodeProcess c = nodes.create("c", Chaos.JAVA_OPTS);
        NodeProcess d = nodes.create("d", Chaos.JAVA_OPTS);
        InternetLab lab = InternetLab.create(nodes.workDir(), List.of(InternetLab.Member.reachable(a, HOME_LINK),
                InternetLab.Member.reachable(b, HOME_LINK), InternetLab.Member.behindNat(c, HOME_LINK),
                InternetLab.Member.behindNat(d, HOME_LINK)), seed());
        try {
            System.out.println(lab.describe());
            List.of(a, b, c, d).forEach(NodeProcess::start);
            assertFalse(lab.canConnect(c, lab.publicAddress(d)), "c cannot dial d");
            assertFalse(lab.canConnect(d, lab.publicAddress(c)), "d cannot dial c");

            chatWithEveryoneConfirmingEverything(a, List.of(b), List.of(c, d));
        } finally {
            lab.close();
        }
        assertEquals(List.of(), lab.remaining(), "namespaces left after the test");
    }

    /**
     * The owner creates the group and invites the reachable members; the ones behind NATs ask to join and are
     * accepted; everyone sends {@value #MESSAGES_EACH} messages; then every history must hold them all, each
     * once and confirmed by every member, in the same order everywhere.
     */
    private static void chatWithEveryoneConfirmingEverything(NodeProcess owner, List<NodeProcess> reachable,
            List<NodeProcess> behindNats) {
        List<NodeProcess> all = new ArrayList<>(List.of(owner));
        all.addAll(reachable);
        all.addAll(behindNats);
        String groupId = owner.run("create " + GROUP).get(0);
        int members = 1;
        for (NodeProcess node : reachable) {
            members++;
            assertEquals(List.of(node.shortId() + " joined '" + GROUP + "', now " + members + " members"),
                    owner.run("invite " + GROUP + " " + node.address()), "inviting " + node.name());
        }
        letIn(owner, GROUP, groupId, behindNats);
        String size = "  " + GROUP + "  " + all.size() + " members";
        for (NodeProcess node : all) {
            await(all.size() + " members at " + node.name()).atMost(ARRIVAL)
                    .until(() -> node.run("groups").stream().anyMatch(l -> l.endsWith(size)));
        }
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= MESSAGES_EACH; i++) {
            for (NodeProcess node : all) {
                String text = "message " + i + " from " + node.name();
                List<String> printed = node.run("send " + GROUP + " " + text);
                assertTrue(printed.size() == 1 && printed.get(0).startsWith("sent "), node.name() + " sent " + text + ": " + printed);
                sent.add(node.shortId() + ": " + text);
            }
        }
        awaitEveryMessageConfirmedByAll(all, sent);
    }

    /** Each joiner asks the owner to let it into the group (as a member nobody can dial must), and the owner accepts. */
    static void letIn(NodeProcess owner, String group, String groupId, List<NodeProcess> joiners) {
        for (NodeProcess node : joiners) {
            String shortId = node.shortId();
            node.run("join " + owner.address() + " " + groupId);
            await("the join request of " + node.name()).atMost(ARRIVAL).until(() -> owner.stderr().stream()
                    .anyMatch(l -> l.startsWith(shortId + " asks to join '" + group + "'")));
            owner.run("accept " + group + " " + shortId);
        }
    }

    private static void awaitEveryMessageConfirmedByAll(List<NodeProcess> all, List<String> sent) {
        String confirmed = "confirmed " + all.size() + "/" + all.size();
        Map<String, History> last = new LinkedHashMap<>();
        try {
            await("every message in every history, confirmed by all").atMost(ARRIVAL).pollInterval(Duration.ofSeconds(1)).until(() -> {
                for (NodeProcess node : all) {
                    last.put(node.name(), History.of(node, GROUP));
                }
                return last.values().stream().allMatch(h -> h.entries().size() == sent.size()
                        && h.messages().containsAll(sent) && h.entries().stream().allMatch(e -> e.delivery().equals(confirmed)))
                        && last.values().stream().map(History::messages).distinct().count() == 1;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not every history holds the " + sent.size() + " messages, each " + confirmed
                    + ", in the same order, " + ARRIVAL.toSeconds() + " s after the last send:\n" + last.values().stream()
                    .map(h -> h.node() + ":\n" + h.entries().stream().map(en -> "    " + en.message() + "  [" + en.delivery() + "]")
                            .collect(Collectors.joining("\n"))).collect(Collectors.joining("\n")));
        }
    }

    private static void assumeLab() {
        Optional<String> unavailable = InternetLab.unavailable();
        assumeTrue(unavailable.isEmpty(), () -> "NatLabIT skipped: " + unavailable.orElseThrow());
    }

    private static long seed() {
        return ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
    }
}
