package org.ringchat.itests.processes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The topology swapped under load across four {@code bin/ringchat} processes, the way a user does it:
 * with two members sending bursts, the ring bundle is taken out of the installation's {@code deploy/}
 * and the tree bundle put in. FileInstall in each process notices on its own poll, so for a while
 * members run different topologies, and for a moment a member runs none. Afterwards every member runs
 * the tree, and every member holds every message exactly once, in the same order, confirmed by all four.
 * <p>
 * The four processes share one installation, a copy made for this test, so that the shared one stays
 * on the ring.
 */
class TopologySwapAcrossProcessesIT {

    private static final int BURST = 60;
    private static final String GROUP = "swap";
    private static final String RING_JAR = "org.ringchat.topology.ring.jar";
    private static final String TREE_JAR = "org.ringchat.topology.tree.jar";
    /** Messages sent while a node has no topology wait for one, then for a retry or anti-entropy (5 s each). */
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(250);

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void swappingRingForTreeInDeployLosesAndDuplicatesNothing() throws IOException {
        Path installation = nodes.copyOfInstallation();
        List<NodeProcess> all = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d")) {
            all.add(nodes.start(name, installation));
        }
        NodeProcess a = all.get(0);
        NodeProcess b = all.get(1);
        for (NodeProcess node : all) {
            // FileInstall starts the topology bundle just after the node's own bundles
            await(node.name() + " on the ring").atMost(SETTLE).pollInterval(POLL)
                    .until(() -> node.run("topology").equals(List.of("ring")));
        }
        a.run("create " + GROUP);
        for (NodeProcess node : all.subList(1, all.size())) {
            a.run("invite " + GROUP + " " + node.address());
        }
        for (NodeProcess node : all) {
            await("4 members at " + node.name()).atMost(SETTLE).pollInterval(POLL)
                    .until(() -> node.run("groups").stream().anyMatch(l -> l.endsWith("  " + GROUP + "  4 members")));
        }

        // Two bursts at once; the swap once a third of a's has gone out.
        List<String> aTexts = IntStream.range(0, BURST).mapToObj(i -> String.format("a-%03d", i)).toList();
        List<String> bTexts = IntStream.range(0, BURST).mapToObj(i -> String.format("b-%03d", i)).toList();
        NodeProcess.Batch aBurst = a.submit(aTexts.stream().map(t -> "send " + GROUP + " " + t).toList());
        NodeProcess.Batch bBurst = b.submit(bTexts.stream().map(t -> "send " + GROUP + " " + t).toList());
        a.awaitStdout("'sent' lines", l -> l.startsWith("sent "), BURST / 3, Duration.ofSeconds(60));
        Path deploy = installation.resolve("deploy");
        Files.delete(deploy.resolve(RING_JAR));
        Files.copy(installation.resolve("topologies").resolve(TREE_JAR), deploy.resolve(TREE_JAR));

        for (NodeProcess.Batch burst : List.of(aBurst, bBurst)) {
            NodeProcess.Output output = burst.await(Duration.ofSeconds(120));
            assertEquals(List.of(), output.errors(), "errors of a burst");
            assertEquals(BURST, output.stdout().size(), "one line per send: " + output.stdout());
        }
        for (NodeProcess node : all) {
            await(node.name() + " on the tree").atMost(SETTLE).pollInterval(POLL)
                    .until(() -> node.run("topology").equals(List.of("tree")));
        }
        assertTrue(all.get(2).run("send " + GROUP + " after the swap").get(0).startsWith("sent "));

        List<String> expected = new ArrayList<>();
        aTexts.forEach(t -> expected.add(a.shortId() + ": " + t));
        bTexts.forEach(t -> expected.add(b.shortId() + ": " + t));
        expected.add(all.get(2).shortId() + ": after the swap");
        History reference = null;
        for (NodeProcess node : all) {
            await("every message at " + node.name()).atMost(SETTLE).pollInterval(POLL)
                    .untilAsserted(() -> assertEquals(new HashSet<>(expected), new HashSet<>(History.of(node, GROUP).messages()),
                            node.name() + "'s messages"));
            History history = History.of(node, GROUP);
            assertEquals(List.of(), history.duplicates(), "duplicates at " + node.name());
            assertEquals(expected.size(), history.entries().size(), "exactly once at " + node.name());
            if (reference == null) {
                reference = history;
            } else {
                assertEquals(reference.messages(), history.messages(), "the same order at " + node.name() + " as at a");
            }
        }
        // A message whose broadcast met a member without a topology shows it missing, but the member has
        // it meanwhile (anti-entropy); the author's own history is what counts for its confirmation.
        for (NodeProcess author : List.of(a, b)) {
            await("every message of " + author.name() + " confirmed").atMost(SETTLE).pollInterval(POLL)
                    .until(() -> History.of(author, GROUP).entries().stream()
                            .filter(e -> e.author().equals(author.shortId())).allMatch(History.Entry::confirmed));
        }
    }
}
