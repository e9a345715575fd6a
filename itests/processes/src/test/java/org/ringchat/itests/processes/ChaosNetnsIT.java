package org.ringchat.itests.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ChaosIT} with every node in a network namespace of its own ({@link NetworkNamespaces}), listening
 * on its address there, so that the group runs over a real IP stack between namespaces, with netem delay
 * and loss on every link where the kernel has netem (without them, and saying so, where it has not).
 * Skipped, with the reason, where namespaces cannot be made: not root, no iproute2, not Linux.
 */
class ChaosNetnsIT {

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void membersInNetworkNamespacesKilledAndRestartedDuringAStreamEndWithTheSameCompleteHistory() {
        Optional<String> unavailable = NetworkNamespaces.unavailable();
        assumeTrue(unavailable.isEmpty(), () -> "ChaosNetnsIT skipped: " + unavailable.orElseThrow());
        NetworkNamespaces net = NetworkNamespaces.create(Chaos.NODES);
        try {
            System.out.println("ChaosNetnsIT: " + Chaos.NODES + " network namespaces " + net.namespace(1) + " ... "
                    + net.namespace(Chaos.NODES) + " on a bridge, nodes at " + net.address(1) + " ... "
                    + net.address(Chaos.NODES) + "; " + net.netemProblem()
                    .map(problem -> problem + "; running the namespaces without delay and loss")
                    .orElse("netem " + NetworkNamespaces.NETEM + " on every node's link"));
            List<NodeProcess> all = IntStream.rangeClosed(1, Chaos.NODES)
                    .mapToObj(k -> nodes.create("n" + k, Chaos.JAVA_OPTS)
                            .inNetworkNamespace(net.ip(), net.namespace(k), net.address(k)))
                    .toList();
            new Chaos(Chaos.seed(), all).run();
            for (int k = 1; k <= Chaos.NODES; k++) {
                NodeProcess node = all.get(k - 1);
                assertTrue(node.address().endsWith("@" + net.address(k) + ":" + node.port()),
                        node.name() + " is reached at its namespace's address: " + node.address());
                // ip netns exec runs bin/ringchat in its place, which execs java: the SIGKILLs hit the JVM
                assertTrue(node.command().orElse("").endsWith("/java"), node.name() + " runs as " + node.command());
            }
        } finally {
            net.close();
        }
        assertEquals(List.of(), net.remaining(), "namespaces left after the test");
    }
}
