package org.ringchat.itests.processes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The figures of docs/BENCHMARKS.md, "Delivery latency against round trip": {@value #NODES} members in the
 * {@link InternetLab}, every link with the same round trip and no loss (each access link a quarter of it one
 * way); one member sends {@code 1 KB} messages one at a time, the six others in chat mode; a message's delivery
 * to all is the time from writing its {@code send} to the author's stdin until the last of the six has printed
 * it (all clocks are the test JVM's). The first {@value #WARM_UP} messages of each round trip are not counted.
 * Run only when asked, as root:
 * <pre>
 * mvn verify -pl itests/processes -Dit.test=LatencyLabIT -Dlab.latency.rtts=0,50,150,300 -Dlab.latency.messages=100
 * </pre>
 * ({@code -Dlab.latency.topologies=ring,tree} by default). The table goes to stdout and to
 * {@code target/lab-latency.md}. Every message must reach every member, so a run that loses one fails.
 */
@EnabledIfSystemProperty(named = "lab.latency.rtts", matches = ".+")
class LatencyLabIT {

    private static final int NODES = 7;
    private static final int WARM_UP = 10;
    private static final int TEXT_BYTES = 1024;
    private static final String GROUP = "latency";
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final Duration FORM = Duration.ofSeconds(120);

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    @Test
    void deliveryToAllAgainstTheRoundTripForEachTopology() throws IOException {
        Optional<String> unavailable = InternetLab.unavailable();
        assumeTrue(unavailable.isEmpty(), () -> "LatencyLabIT skipped: " + unavailable.orElseThrow());
        int[] rtts = Arrays.stream(System.getProperty("lab.latency.rtts").split(",")).mapToInt(Integer::parseInt).toArray();
        int messages = Integer.getInteger("lab.latency.messages", 100);
        List<String> table = new ArrayList<>(List.of(String.format(Locale.ROOT,
                "| topology | round trip | messages | delivery to all p50 | p99 | max |%n|---|---:|---:|---:|---:|---:|")));
        for (String topology : System.getProperty("lab.latency.topologies", "ring,tree").split(",")) {
            Path installation = installation(topology);
            List<NodeProcess> all = IntStream.rangeClosed(1, NODES)
                    .mapToObj(k -> nodes.create(topology + k, Chaos.JAVA_OPTS, installation)).toList();
            InternetLab lab = InternetLab.create(nodes.workDir(), all.stream()
                    .map(node -> InternetLab.Member.reachable(node, accessLink(rtts[0]))).toList(), 1);
            try {
                formGroup(all, topology);
                NodeProcess author = all.get(0);
                List<NodeProcess> receivers = all.subList(1, NODES);
                receivers.forEach(node -> node.enterChat(GROUP));
                for (NodeProcess node : receivers) {
                    node.awaitStdout("chat mode", l -> l.startsWith("chatting in '" + GROUP + "'"), 1, DELIVERY);
                }
                int sent = 0;
                for (int rtt : rtts) {
                    lab.changeLinks(node -> accessLink(rtt));
                    System.out.println(lab.describe());
                    double[] millis = new double[messages];
                    for (int i = -WARM_UP; i < messages; i++) {
                        sent++;
                        double took = deliverToAll(author, receivers, sent);
                        if (i >= 0) {
                            millis[i] = took;
                        }
                    }
                    Arrays.sort(millis);
                    String row = String.format(Locale.ROOT, "| %s | %d ms | %d | %.0f ms | %.0f ms | %.0f ms |", topology, rtt, messages,
                            percentile(millis, 50), percentile(millis, 99), millis[messages - 1]);
                    System.out.println(row);
                    table.add(row);
                }
            } finally {
                all.forEach(NodeProcess::kill);
                lab.close();
            }
        }
        String result = String.join("\n", table) + "\n";
        System.out.println(result);
        Files.writeString(Path.of("target/lab-latency.md"), result, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Each access link a quarter of the round trip one way: a link crosses two, both ways. */
    private static LinkProfile accessLink(int rtt) {
        return new LinkProfile(rtt / 4.0, 0, 0);
    }

    /** The distribution for the ring; a copy with the tree in its deploy/ for the tree. */
    private Path installation(String topology) {
        if (topology.equals("ring")) {
            return NodeProcess.distribution();
        }
        Path copy = nodes.copyOfInstallation();
        try {
            Files.delete(copy.resolve("deploy/org.ringchat.topology.ring.jar"));
            Files.copy(copy.resolve("topologies/org.ringchat.topology." + topology + ".jar"),
                    copy.resolve("deploy/org.ringchat.topology." + topology + ".jar"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put the " + topology + " into " + copy, e);
        }
        return copy;
    }

    private static void formGroup(List<NodeProcess> all, String topology) {
        all.forEach(NodeProcess::start);
        // seven JVMs starting at once on a busy machine may take longer than a first command's usual allowance
        all.forEach(node -> node.exec("id", FORM));
        NodeProcess first = all.get(0);
        first.run("create " + GROUP);
        for (int k = 1; k < all.size(); k++) {
            NodeProcess node = all.get(k);
            List<String> joined = List.of(node.shortId() + " joined '" + GROUP + "', now " + (k + 1) + " members");
            // on a busy machine a TLS handshake may take longer than the connect timeout: invite again
            await("inviting " + node.name()).atMost(FORM).until(() -> first.run("invite " + GROUP + " " + node.address()).equals(joined));
        }
        String members = "  " + GROUP + "  " + all.size() + " members";
        for (NodeProcess node : all) {
            assertEquals(List.of(topology), node.run("topology"), node.name() + "'s topology");
            await(all.size() + " members at " + node.name()).atMost(FORM)
                    .until(() -> node.run("groups").stream().anyMatch(l -> l.endsWith(members)));
        }
    }

    /** Sends message {@code number} and waits until every receiver has printed it; returns how long that took, in ms. */
    private static double deliverToAll(NodeProcess author, List<NodeProcess> receivers, int number) {
        String tag = String.format(Locale.ROOT, "m%06d ", number);
        String text = tag + "x".repeat(TEXT_BYTES - tag.length());
        long start = System.nanoTime();
        NodeProcess.Batch send = author.submit("send " + GROUP + " " + text);
        // one after the other: the last wait ends when the last receiver has printed it
        for (NodeProcess node : receivers) {
            node.awaitStdout("message " + number, l -> l.endsWith("  " + text), 1, DELIVERY);
        }
        double took = (System.nanoTime() - start) / 1e6;
        List<String> printed = send.await(DELIVERY).stdout();
        assertTrue(printed.size() == 1 && printed.get(0).startsWith("sent "), "the send of message " + number + " printed " + printed);
        return took;
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
