package org.ringchat.itests.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ChaosIT} in the {@link InternetLab}: every node in a network namespace of its own, reached at its
 * public address through the lab's forwarder, so that every link has 50–150 ms round trips and about 1 % loss:
 * each member's access link {@value #MIN_DELAY_MS}–{@value #MAX_DELAY_MS} ms one way (drawn from the seed),
 * up to {@value #JITTER_MS} ms jitter and {@value #LOSS} loss, and a link crosses two of them.
 * The last {@value #BEHIND_NAT} members sit behind home NATs of their own (issue 15): nobody can dial them, they
 * join by request and are reached through relaying members; {@code -D}{@value #BEHIND_NAT_PROPERTY}{@code =K}
 * puts K there instead.
 * Skipped, with the reason, where the lab cannot be made: not root, no iproute2 or iptables, not Linux.
 */
class ChaosNetnsIT {

    static final double MIN_DELAY_MS = 12.5;
    static final double MAX_DELAY_MS = 32.5;
    static final double JITTER_MS = 5;
    static final double LOSS = 0.005;
    /** How many members sit behind NATs unless {@value #BEHIND_NAT_PROPERTY} says otherwise. */
    static final int BEHIND_NAT = 2;
    static final String BEHIND_NAT_PROPERTY = "chaos.behindNat";

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void membersInNetworkNamespacesKilledAndRestartedDuringAStreamEndWithTheSameCompleteHistory() {
        Optional<String> unavailable = InternetLab.unavailable();
        assumeTrue(unavailable.isEmpty(), () -> "ChaosNetnsIT skipped: " + unavailable.orElseThrow());
        long seed = Chaos.seed();
        Random links = new Random(seed + 2);
        List<NodeProcess> all = IntStream.rangeClosed(1, Chaos.NODES).mapToObj(k -> nodes.create("n" + k, Chaos.JAVA_OPTS)).toList();
        List<NodeProcess> behindNat = all.subList(all.size() - Integer.getInteger(BEHIND_NAT_PROPERTY, BEHIND_NAT), all.size());
        InternetLab lab = InternetLab.create(nodes.workDir(), all.stream().map(node -> new InternetLab.Member(node,
                new LinkProfile(MIN_DELAY_MS + (MAX_DELAY_MS - MIN_DELAY_MS) * links.nextDouble(), JITTER_MS, LOSS),
                behindNat.contains(node))).toList(), seed);
        try {
            System.out.println("ChaosNetnsIT: " + lab.describe());
            new Chaos(seed, all, Set.copyOf(behindNat)).run();
            for (NodeProcess node : all) {
                assertTrue(node.address().endsWith("@" + lab.publicAddress(node)), node.name() + " is reached at its public address: " + node.address());
                // ip netns exec runs bin/ringchat in its place, which execs java: the SIGKILLs hit the JVM
                assertTrue(node.command().orElse("").endsWith("/java"), node.name() + " runs as " + node.command());
            }
        } finally {
            lab.close();
        }
        assertEquals(List.of(), lab.remaining(), "namespaces left after the test");
    }
}
