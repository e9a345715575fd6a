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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The relay's own cost, in a process of its own (docs/BENCHMARKS.md, "The relay's cost"): three members in the
 * {@link InternetLab}, each {@code bin/ringchat} with the distribution's JVM options. In the <em>relayed</em> run
 * r is reachable and c and d sit behind two different NATs, so that c's messages reach d only through r, the one
 * member both keep a reservation at; in the <em>direct</em> run all three are reachable and r is only a member.
 * In both, c sends {@code 1 KB} messages (the first {@value #WARM_UP} not counted) and r and d, in chat mode,
 * print them; each process's CPU time ({@code /proc/<pid>/stat}, utime + stime) and the bytes on the interfaces
 * of its namespace ({@code /proc/<pid>/net/dev}: the node's traffic, IP headers included) are read before and after.
 * The difference of r's figures between the runs is what relaying c's messages to d cost it. Run only when asked, as
 * root:
 * <pre>
 * mvn verify -pl itests/processes -Dit.test=RelayCostLabIT -Dlab.relay.messages=2000
 * </pre>
 * The table goes to stdout and to {@code target/lab-relay.md}. Every message must reach r and d, or the run fails.
 */
@EnabledIfSystemProperty(named = "lab.relay.messages", matches = "\\d+")
class RelayCostLabIT {

    private static final int WARM_UP = 200;
    /** Sends written to c's stdin at a time. */
    private static final int BATCH = 100;
    private static final int TEXT_BYTES = 1024;
    private static final String GROUP = "relay";
    private static final String TAG = "rc";
    /** No delay on the links: the cost per message does not depend on it, and the runs take less time. */
    private static final LinkProfile LINK = new LinkProfile(0, 0, 0);
    private static final Duration FORM = Duration.ofSeconds(120);
    private static final Duration ARRIVAL = Duration.ofSeconds(120);

    @RegisterExtension
    final ProcessNodes nodes = new ProcessNodes();

    /** What a process had used at one moment. */
    private record Usage(long cpuTicks, long bytesIn, long bytesOut) {

        Usage minus(Usage before) {
            return new Usage(cpuTicks - before.cpuTicks, bytesIn - before.bytesIn, bytesOut - before.bytesOut);
        }
    }

    /** One member's share of a run, per counted message. */
    private record Cost(String run, String member, String role, double cpuMicros, double bytesIn, double bytesOut) {

        String row() {
            return String.format(Locale.ROOT, "| %s | %s | %s | %.0f µs | %,.0f | %,.0f |", run, member, role, cpuMicros,
                    bytesIn, bytesOut);
        }
    }

    @Test
    void theRelaysCpuAndBytesPerRelayedMessageAgainstTheSameMemberWithoutRelaying() throws IOException {
        Optional<String> unavailable = InternetLab.unavailable();
        assumeTrue(unavailable.isEmpty(), () -> "RelayCostLabIT skipped: " + unavailable.orElseThrow());
        int messages = Integer.getInteger("lab.relay.messages");
        long ticksPerSecond = Long.parseLong(HostCommands.run(List.of("getconf", "CLK_TCK")).output().strip());
        String load = loadAverage();
        List<Cost> relayed = run("relayed", true, messages, ticksPerSecond);
        List<Cost> direct = run("direct", false, messages, ticksPerSecond);
        Cost relay = relayed.get(0);
        Cost member = direct.get(0);
        List<String> lines = new ArrayList<>(List.of(String.format(Locale.ROOT,
                "%d messages of 1 KB from c, after %d not counted; per message; bytes on the member's interfaces, IP headers "
                        + "included; load before: %s, after: %s%n", messages, WARM_UP, load, loadAverage()),
                "| run | member | role | CPU | bytes in | bytes out |", "|---|---|---|---:|---:|---:|"));
        relayed.forEach(cost -> lines.add(cost.row()));
        direct.forEach(cost -> lines.add(cost.row()));
        lines.add(String.format(Locale.ROOT, "%nrelaying one message cost r %.0f µs of CPU, %,.0f bytes in and %,.0f bytes out "
                        + "more than being only a member", relay.cpuMicros() - member.cpuMicros(),
                relay.bytesIn() - member.bytesIn(), relay.bytesOut() - member.bytesOut()));
        String table = String.join("\n", lines) + "\n";
        System.out.println(table);
        Files.writeString(Path.of("target/lab-relay.md"), table, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        assertTrue(relay.bytesIn() - member.bytesIn() > TEXT_BYTES && relay.bytesOut() - member.bytesOut() > TEXT_BYTES,
                "r carried each of c's messages to d in the relayed run, and not in the direct one:\n" + table);
    }

    /** One run: forms the group of r, c and d, sends, and returns r's, c's and d's costs, in this order. */
    private List<Cost> run(String run, boolean behindNats, int messages, long ticksPerSecond) {
        NodeProcess r = nodes.create(run + "-r", NodeProcess.DEFAULT_JAVA_OPTS);
        NodeProcess c = nodes.create(run + "-c", NodeProcess.DEFAULT_JAVA_OPTS);
        NodeProcess d = nodes.create(run + "-d", NodeProcess.DEFAULT_JAVA_OPTS);
        List<NodeProcess> all = List.of(r, c, d);
        InternetLab lab = InternetLab.create(nodes.workDir(), List.of(InternetLab.Member.reachable(r, LINK),
                new InternetLab.Member(c, LINK, behindNats), new InternetLab.Member(d, LINK, behindNats)), 1);
        try {
            System.out.println(lab.describe());
            formGroup(r, List.of(c, d));
            if (behindNats) {
                String through = "they reach it through " + r.shortId();
                for (NodeProcess node : List.of(c, d)) {
                    await(node.name() + " reached through r").atMost(FORM)
                            .until(() -> node.run("id").stream().anyMatch(l -> l.endsWith(through)));
                }
            }
            List.of(r, d).forEach(node -> node.enterChat(GROUP));
            for (NodeProcess node : List.of(r, d)) {
                node.awaitStdout("chat mode", l -> l.startsWith("chatting in '" + GROUP + "'"), 1, FORM);
            }
            send(c, List.of(r, d), 0, WARM_UP);
            List<Usage> before = all.stream().map(RelayCostLabIT::usage).toList();
            send(c, List.of(r, d), WARM_UP, messages);
            List<Usage> used = IntStream.range(0, all.size()).mapToObj(k -> usage(all.get(k)).minus(before.get(k))).toList();
            List<String> roles = behindNats
                    ? List.of("member, and relay between c and d", "author, behind NAT 1", "member, behind NAT 2")
                    : List.of("member", "author", "member");
            return IntStream.range(0, all.size()).mapToObj(k -> new Cost(run, all.get(k).name().substring(run.length() + 1),
                    roles.get(k), used.get(k).cpuTicks() * 1e6 / ticksPerSecond / messages,
                    (double) used.get(k).bytesIn() / messages, (double) used.get(k).bytesOut() / messages)).toList();
        } finally {
            all.forEach(NodeProcess::kill);
            lab.close();
        }
    }

    /** r creates the group and lets the others in at their request, as members behind NATs must join. */
    private static void formGroup(NodeProcess owner, List<NodeProcess> joiners) {
        List<NodeProcess> all = new ArrayList<>(List.of(owner));
        all.addAll(joiners);
        all.forEach(NodeProcess::start);
        all.forEach(node -> node.exec("id", FORM));
        NatLabIT.letIn(owner, GROUP, owner.run("create " + GROUP).get(0), joiners);
        String members = "  " + GROUP + "  " + all.size() + " members";
        for (NodeProcess node : all) {
            await(all.size() + " members at " + node.name()).atMost(FORM)
                    .until(() -> node.run("groups").stream().anyMatch(l -> l.endsWith(members)));
        }
    }

    /** The author sends messages {@code from} to {@code from + count - 1}; returns when every receiver has printed them. */
    private static void send(NodeProcess author, List<NodeProcess> receivers, int from, int count) {
        for (int first = from; first < from + count; first += BATCH) {
            List<String> sends = IntStream.range(first, Math.min(first + BATCH, from + count))
                    .mapToObj(i -> "send " + GROUP + " " + text(i)).toList();
            List<String> printed = author.submit(sends).await(ARRIVAL).stdout();
            assertEquals(sends.size(), printed.stream().filter(l -> l.startsWith("sent ")).count(),
                    "messages sent by " + author.name() + ": " + printed);
        }
        for (NodeProcess node : receivers) {
            node.awaitStdout("the messages up to " + (from + count), l -> l.contains("  " + TAG), from + count, ARRIVAL);
        }
    }

    private static String text(int number) {
        String tag = String.format(Locale.ROOT, "%s%06d ", TAG, number);
        return tag + "x".repeat(TEXT_BYTES - tag.length());
    }

    /** The process's CPU time and the bytes through every interface of its namespace but loopback. */
    private static Usage usage(NodeProcess node) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(node.pid()), "stat"));
            // after the command name in parentheses: field 3 (state) first, so utime (14) and stime (15) at 11 and 12
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long in = 0;
            long out = 0;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(node.pid()), "net", "dev"))) {
                String[] parts = line.strip().split("[:\\s]+");
                if (line.contains(":") && !parts[0].equals("lo")) {
                    in += Long.parseLong(parts[1]);
                    out += Long.parseLong(parts[9]);
                }
            }
            return new Usage(ticks, in, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read what " + node.name() + " used from /proc", e);
        }
    }

    /** The machine's load: the other engineers' builds share its cores. */
    private static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
