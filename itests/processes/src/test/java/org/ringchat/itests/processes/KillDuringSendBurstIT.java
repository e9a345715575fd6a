package org.ringchat.itests.processes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A member killed with SIGKILL in the middle of a burst of messages restarts with nothing it had lost,
 * and then catches up on what it missed.
 * <p>
 * Three processes form the ring a → b → c. a writes 200 {@code send} commands to its stdin at once; the
 * script executes them one after the other, each waiting for the next member's acknowledgement. At a
 * random point of the burst b's history is read and b is killed with SIGKILL; a goes on through c.
 * <p>
 * What b had is checked on b alone: a and c are stopped before b restarts, so that b cannot catch up
 * and its history is exactly what it had stored. The protocol commits a message before acknowledging
 * it, so b's history then holds everything b showed before the kill, and every message a shows as
 * confirmed by all three: b acknowledged those (a message b did not take shows "missing" b at a). It
 * is a prefix of a's history (b got a's messages in order until it died), well-formed and without
 * duplicates. Then a and c start again, and b catches up: all three show the
 * same history.
 */
class KillDuringSendBurstIT {

    private static final int BURST = 200;
    private static final String GROUP = "burst";
    private static final String SENT = "sent [0-9a-f]{32} \\((acknowledged, 2/3|confirmed [23]/3)\\)";
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(250);

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void aMemberKilledDuringASendBurstKeepsWhatItHadAndCatchesUpOnTheRest() {
        NodeProcess a = nodes.start("a");
        NodeProcess b = nodes.start("b");
        NodeProcess c = nodes.start("c");
        String bAddress = b.address();
        String cAddress = c.address();
        String aAddress = a.address();

        a.run("create " + GROUP);
        assertEquals(List.of(b.shortId() + " joined '" + GROUP + "', now 2 members"), a.run("invite " + GROUP + " " + bAddress));
        assertEquals(List.of(c.shortId() + " joined '" + GROUP + "', now 3 members"), a.run("invite " + GROUP + " " + cAddress));
        for (NodeProcess node : List.of(b, c)) {
            await("3 members at " + node.name()).atMost(SETTLE).pollInterval(POLL)
                    .until(() -> node.run("groups").stream().anyMatch(l -> l.endsWith("  " + GROUP + "  3 members")));
        }
        assertSent(a.run("send " + GROUP + " warm-up"));
        for (NodeProcess node : List.of(a, b, c)) {
            await("the warm-up confirmed at " + node.name()).atMost(SETTLE).pollInterval(POLL)
                    .until(() -> History.of(node, GROUP).entries().stream().anyMatch(e -> e.text().equals("warm-up")
                            && e.delivery().equals("confirmed 3/3")));
        }

        // The burst: all sends written to a's stdin at once; b killed after a random number of them.
        List<String> texts = IntStream.range(0, BURST).mapToObj(i -> String.format("burst-%03d", i)).toList();
        NodeProcess.Batch burst = a.submit(texts.stream().map(t -> "send " + GROUP + " " + t).toList());
        int killAfter = ThreadLocalRandom.current().nextInt(BURST / 5, BURST * 3 / 4);
        a.awaitStdout("'sent' lines", l -> l.startsWith("sent "), killAfter, Duration.ofSeconds(60));
        History beforeKill = History.of(b, GROUP);
        b.kill();
        assertEquals(137, b.exitStatus().orElseThrow(), "b died of SIGKILL (128 + 9)");
        String context = "b killed after a had " + killAfter + " 'sent' lines; b showed " + beforeKill.entries().size()
                + " messages just before";

        NodeProcess.Output burstOutput = burst.await(Duration.ofSeconds(90));
        assertEquals(List.of(), burstOutput.errors(), "errors of a's sends; " + context);
        assertEquals(BURST, burstOutput.stdout().size(), "one line per send: " + burstOutput.stdout());
        burstOutput.stdout().forEach(l -> assertTrue(l.matches(SENT), "a's send printed '" + l + "'; " + context));

        // a: every message once, in the order sent, all confirmed (those b took before it died by all
        // three, the others with b missing). c: the same.
        String aId = a.shortId();
        List<String> sent = new ArrayList<>();
        sent.add(aId + ": warm-up");
        texts.forEach(t -> sent.add(aId + ": " + t));
        await("a and c settle").atMost(SETTLE).pollInterval(POLL).untilAsserted(() -> {
            History aNow = History.of(a, GROUP);
            assertEquals(sent, aNow.messages(), "a's history; " + context);
            assertTrue(aNow.entries().stream().allMatch(History.Entry::confirmed), "every message is confirmed at a");
            assertEquals(sent, History.of(c, GROUP).messages(), "c's history; " + context);
        });
        History aSettled = History.of(a, GROUP);
        assertTrue(aSettled.entries().stream().noneMatch(e -> e.delivery().equals("pending")), "nothing pending at a");
        List<String> takenByB = aSettled.entries().stream().filter(e -> e.delivery().equals("confirmed 3/3"))
                .map(History.Entry::message).toList();

        // b alone, without a and c to catch up from: exactly what it had stored.
        assertEquals(0, a.stop(), "a's exit status");
        assertEquals(0, c.stop(), "c's exit status");
        b.restart();
        assertEquals(bAddress, b.address(), "b's address after the restart");
        assertTrue(b.run("groups").stream().anyMatch(l -> l.endsWith("  " + GROUP + "  3 members")), "b is still in the group");
        History bStored = History.of(b, GROUP);
        String restored = context + "; b restored " + bStored.entries().size() + " messages";
        assertEquals(List.of(), bStored.duplicates(), "duplicates at b after the restart; " + restored);
        assertTrue(bStored.messages().size() <= sent.size() && sent.subList(0, bStored.messages().size()).equals(bStored.messages()),
                "b's history after the restart is a prefix of a's; " + restored + "; b has " + bStored.messages());
        assertTrue(new HashSet<>(bStored.messages()).containsAll(beforeKill.messages()),
                "b kept everything it showed before the kill; " + restored + "; before " + beforeKill.messages());
        assertTrue(new HashSet<>(bStored.messages()).containsAll(takenByB),
                "b kept every message it had acknowledged (confirmed 3/3 at a: " + takenByB + "); " + restored);

        System.out.println("KillDuringSendBurstIT: " + restored + "; confirmed 3/3 at a: " + takenByB.size());

        // a and c back: b catches up (a's start-up request names heads b lacks), and all show the same history.
        a.restart();
        c.restart();
        assertEquals(aAddress, a.address(), "a's address after the restart");
        assertEquals(cAddress, c.address(), "c's address after the restart");
        for (NodeProcess node : List.of(a, b, c)) {
            await("the full history at " + node.name()).atMost(SETTLE).pollInterval(POLL)
                    .untilAsserted(() -> assertEquals(sent, History.of(node, GROUP).messages(),
                            node.name() + "'s history after the restarts; " + restored));
        }

        // b takes part in the ring again: its new message reaches a and c and comes back round to b.
        assertSent(b.run("send " + GROUP + " b is back"));
        sent.add(b.shortId() + ": b is back");
        for (NodeProcess node : List.of(a, b, c)) {
            await("b's message at " + node.name()).atMost(SETTLE).pollInterval(POLL)
                    .untilAsserted(() -> assertEquals(sent, History.of(node, GROUP).messages(), node.name() + "'s history"));
        }
        await("b's message confirmed at b").atMost(SETTLE).pollInterval(POLL).until(() -> History.of(b, GROUP).entries()
                .get(sent.size() - 1).delivery().equals("confirmed 3/3"));

        for (NodeProcess node : List.of(a, b, c)) {
            assertEquals(List.of(), node.errors(), "errors at " + node.name());
        }
    }

    private static void assertSent(List<String> output) {
        assertEquals(1, output.size(), "send prints one line: " + output);
        assertTrue(output.get(0).matches(SENT), "send: " + output.get(0));
    }
}
