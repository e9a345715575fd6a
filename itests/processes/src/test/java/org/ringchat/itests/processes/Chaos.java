package org.ringchat.itests.processes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;

/**
 * The chaos scenario of {@link ChaosIT} and {@link ChaosNetnsIT}: {@value #NODES} node processes in one
 * group, a stream of messages from all of them, random nodes killed with SIGKILL and restarted while it
 * flows, and at the end every node holding the same complete history.
 * <p>
 * <b>The stream.</b> Every {@link #SEND_PERIOD} a seeded random node is told to send a message with a
 * text of its own ({@code m0042-n3}); the {@code send} is written to its stdin without waiting, so a node
 * may have several in its queue. A node that is down at that moment sends nothing (the message is
 * <em>skipped</em>). After the stream each send is judged by what it printed:
 * <ul>
 * <li><em>acknowledged</em>: {@code sent <id> (...)}, or {@code sent, but no member has taken it yet}.
 * Either way the engine had stored and committed the message before the command printed it (a member
 * acknowledges only what it has committed, and the author commits its message before offering it), so a
 * SIGKILL right after cannot take it back: it must be in every node's history at the end.</li>
 * <li><em>cut off</em>: the node was killed before the command printed anything. The message may have
 * been committed (then the author offers it again after its restart) or not: it may be in the histories
 * or not, but in all of them or in none.</li>
 * </ul>
 * <b>The chaos.</b> A schedule drawn from the seed before the start ({@link #plan}): every
 * {@link #KILL_GAP_MIN}–{@link #KILL_GAP_MAX} a random node that is up is killed with SIGKILL, and
 * restarted {@link #DOWN_MIN}–{@link #DOWN_MAX} later with the same data directory and port, unless
 * {@value #MAX_DOWN} nodes are down already; in the plan a node counts as down from its kill until
 * {@link #START_ALLOWANCE} after its restart (what a node takes to start on 2 busy cores). Every restart
 * falls within the stream. While it runs, a node is <em>not up</em> from its kill until it answers a
 * command after its restart, and a planned kill that would make more than {@value #MAX_DOWN} nodes not up
 * (because restarts took longer than planned) is skipped, with its restart: so 5 of the 7, a majority, are
 * always up. The events run one after the other on one thread: one that comes late (a dying JVM can take
 * a moment) delays the next ones. The report says what happened, and when.
 * <p>
 * <b>The end.</b> With every node running again, each node's history must hold, within {@link #SETTLE}
 * (anti-entropy runs every 5 s), every acknowledged message, each once, nothing but the messages sent,
 * and the same messages in the same order on every node: the history order is a function of the message
 * graph alone (docs/PROTOCOL.md, "History order"; {@code MessageGraph.ordered}), so members holding the same
 * messages list them identically. A failure names the seed (replay with {@code -D}{@value #SEED_PROPERTY}),
 * the schedule, and what each node lacks or holds in excess.
 */
final class Chaos {

    /** System property: the seed of the schedule and of the senders (by default a random one, printed). */
    static final String SEED_PROPERTY = "chaos.seed";
    static final int NODES = 7;
    /** Seven JVMs share 2 cores: small heaps, quick start (as bin/ringchat-demo). */
    static final String JAVA_OPTS = "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    static final String GROUP = "chaos";
    static final Duration STREAM = Duration.ofSeconds(60);
    static final Duration SEND_PERIOD = Duration.ofMillis(150);
    static final int MAX_DOWN = 2;
    static final Duration FIRST_KILL = Duration.ofSeconds(5);
    static final Duration KILL_GAP_MIN = Duration.ofSeconds(3);
    static final Duration KILL_GAP_MAX = Duration.ofSeconds(8);
    static final Duration DOWN_MIN = Duration.ofSeconds(2);
    static final Duration DOWN_MAX = Duration.ofSeconds(10);
    static final Duration START_ALLOWANCE = Duration.ofSeconds(10);
    static final Duration SETTLE = Duration.ofSeconds(60);

    private static final Duration FORM = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofSeconds(1);
    /** How long the sends may take to finish after the stream: the shell waits 15 s each for an acknowledgement. */
    private static final Duration DRAIN = Duration.ofSeconds(90);
    private static final Pattern ACKNOWLEDGED = Pattern.compile(
            "sent [0-9a-f]{32} \\((acknowledged, \\d+/\\d+|confirmed \\d+/\\d+.*)\\)|sent, but no member has taken it yet; .*");
    private static final int LISTED = 10;

    /** A planned SIGKILL (or restart) of node {@code node} (0-based) at {@code at} after the stream began. */
    record Event(Duration at, int node, boolean kill) {

        @Override
        public String toString() {
            return String.format("%5.1f s  %s n%d", at.toMillis() / 1000.0, kill ? "kill   " : "restart", node + 1);
        }
    }

    /** A send written to a node's stdin. */
    private record Send(NodeProcess node, String text, long atMillis, NodeProcess.Batch batch) {
    }

    private final long seed;
    private final List<NodeProcess> nodes;
    /** Nodes nobody can dial (behind a NAT): they ask to join, and the first node accepts them. */
    private final Set<NodeProcess> joiningByRequest;
    private final List<Event> plan;
    private final Map<NodeProcess, String> shortIds = new HashMap<>();
    /** What happened, with times since the stream began. */
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    /** What went wrong on the scheduler threads, or in a send: reported at the end. */
    private final List<String> anomalies = Collections.synchronizedList(new ArrayList<>());
    /** Nodes killed, or restarted and not answering yet: at most {@link #MAX_DOWN}. Guarded by itself. */
    private final Set<NodeProcess> notUp = new HashSet<>();
    /** The kills done: which node, when (ms since the stream began). */
    private final List<Map.Entry<NodeProcess, Long>> kills = Collections.synchronizedList(new ArrayList<>());
    private final List<Send> sends = new ArrayList<>(); // sender thread until the stream ends
    private int ticks; // sender thread until the stream ends
    private int skipped; // sender thread until the stream ends
    private long streamStart;

    /** The nodes are created, not started; the first one creates the group. */
    Chaos(long seed, List<NodeProcess> nodes) {
        this(seed, nodes, Set.of());
    }

    /** As {@link #Chaos(long, List)}, with nodes that cannot be invited, since nobody can dial them. */
    Chaos(long seed, List<NodeProcess> nodes, Set<NodeProcess> joiningByRequest) {
        this.seed = seed;
        this.nodes = List.copyOf(nodes);
        this.joiningByRequest = Set.copyOf(joiningByRequest);
        this.plan = plan(seed, nodes.size());
    }

    /** The seed named by {@value #SEED_PROPERTY}, or a new random one. */
    static long seed() {
        Long given = Long.getLong(SEED_PROPERTY);
        return given != null ? given : ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
    }

    /** The chaos schedule for a seed: the same seed, the same schedule. */
    static List<Event> plan(long seed, int nodeCount) {
        Random random = new Random(seed);
        long[] downUntil = new long[nodeCount]; // until when a node counts as down, in ms since the stream began
        List<Event> events = new ArrayList<>();
        long end = STREAM.toMillis();
        for (long t = FIRST_KILL.toMillis(); t + DOWN_MIN.toMillis() <= end; t += between(random, KILL_GAP_MIN, KILL_GAP_MAX)) {
            List<Integer> up = new ArrayList<>();
            for (int i = 0; i < nodeCount; i++) {
                if (downUntil[i] <= t) {
                    up.add(i);
                }
            }
            if (nodeCount - up.size() >= MAX_DOWN) {
                continue;
            }
            int victim = up.get(random.nextInt(up.size()));
            long restart = Math.min(t + between(random, DOWN_MIN, DOWN_MAX), end);
            downUntil[victim] = restart + START_ALLOWANCE.toMillis();
            events.add(new Event(Duration.ofMillis(t), victim, true));
            events.add(new Event(Duration.ofMillis(restart), victim, false));
        }
        events.sort((a, b) -> a.at().compareTo(b.at()));
        return List.copyOf(events);
    }

    private static long between(Random random, Duration min, Duration max) {
        return min.toMillis() + (long) (random.nextDouble() * (max.toMillis() - min.toMillis()));
    }

    /**
     * Runs the scenario and returns its report; on failure, throws an {@link AssertionError} that names
     * the seed, the schedule and what happened.
     */
    String run() {
        System.out.println(replay() + "\n" + schedule());
        long began = System.nanoTime();
        try {
            formGroup();
            long formedAt = System.nanoTime();
            stream();
            Map<String, Send> acknowledged = new LinkedHashMap<>();
            Map<String, Send> cutOff = new LinkedHashMap<>();
            int notTaken = judgeSends(acknowledged, cutOff);
            for (NodeProcess node : nodes) {
                if (!node.isRunning()) {
                    anomalies.add(node.name() + " is not running after the stream: " + node.describe());
                }
            }
            assertEquals(List.of(), anomalies, "anomalies");
            long settleFrom = System.nanoTime();
            List<String> history = awaitSameCompleteHistory(acknowledged.keySet(), cutOff.keySet());
            long settled = System.nanoTime();
            nodes.forEach(node -> assertEquals(List.of(), node.errors(), "error lines of " + node.name()));
            long cutOffKept = cutOff.keySet().stream().filter(new HashSet<>(history)::contains).count();
            String report = String.format("chaos seed %d: passed in %.0f s (group formed in %.0f s, stream %d s, "
                            + "every node identical %.1f s after the last send finished)%n"
                            + "  %d sends: %d acknowledged (%d of them 'no member has taken it yet'), %d cut off by a kill "
                            + "(%d of those in the histories), %d skipped (node down)%n"
                            + "  %d kills done of %d planned; acknowledged sends submitted to a node in its last second before a kill: %d%n"
                            + "  every node's history: %d messages, the same order%n%s",
                    seed, seconds(began, settled), seconds(began, formedAt), STREAM.toSeconds(), seconds(settleFrom, settled),
                    ticks, acknowledged.size(), notTaken, cutOff.size(), cutOffKept, skipped,
                    kills.size(), plan.stream().filter(Event::kill).count(), acknowledgedJustBeforeKills(acknowledged.values()),
                    history.size(), events());
            System.out.println(report);
            return report;
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(replay() + ": " + e.getMessage() + "\n" + schedule() + "\n" + events(), e);
        }
    }

    // ------------------------------------------------------------------------------------ phases

    /**
     * Starts every node; the first creates the group and invites the others, or accepts their requests to
     * join; every node sees them all.
     */
    private void formGroup() {
        nodes.forEach(NodeProcess::start);
        Map<NodeProcess, String> addresses = new LinkedHashMap<>();
        for (NodeProcess node : nodes) {
            addresses.put(node, node.address()); // waits until the node is up
            shortIds.put(node, node.shortId());
        }
        NodeProcess first = nodes.get(0);
        String groupId = first.run("create " + GROUP).get(0);
        for (int i = 1; i < nodes.size(); i++) {
            NodeProcess node = nodes.get(i);
            assertEquals(List.of(shortIds.get(node) + " joined '" + GROUP + "', now " + (i + 1) + " members"),
                    admit(first, node, groupId), "letting " + node.name() + " in");
        }
        String members = "  " + GROUP + "  " + nodes.size() + " members";
        for (NodeProcess node : nodes) {
            await(nodes.size() + " members at " + node.name()).atMost(FORM).pollInterval(POLL)
                    .until(() -> node.run("groups").stream().anyMatch(l -> l.endsWith(members)));
        }
    }

    /** What the first node printed when it let {@code node} in: by an invitation, or by accepting its request to join. */
    private List<String> admit(NodeProcess first, NodeProcess node, String groupId) {
        if (!joiningByRequest.contains(node)) {
            return first.run("invite " + GROUP + " " + node.address());
        }
        String shortId = shortIds.get(node);
        node.run("join " + first.address() + " " + groupId);
        await("the join request of " + node.name()).atMost(FORM).pollInterval(POLL)
                .until(() -> first.stderr().stream().anyMatch(l -> l.startsWith(shortId + " asks to join '" + GROUP + "'")));
        return first.run("accept " + GROUP + " " + shortId);
    }

    /** The stream of sends and the chaos schedule, side by side for {@link #STREAM}. */
    private void stream() {
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(daemon("chaos-sender"));
        ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor(daemon("chaos-schedule"));
        ExecutorService watchers = Executors.newCachedThreadPool(daemon("chaos-watch"));
        Random choices = new Random(seed + 1);
        CountDownLatch over = new CountDownLatch(1);
        streamStart = System.nanoTime();
        try {
            for (Event event : plan) {
                chaos.schedule(() -> guarded(event.toString(), () -> apply(event, watchers)), event.at().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            sender.scheduleAtFixedRate(() -> guarded("a send", () -> sendOne(choices)), 0, SEND_PERIOD.toMillis(),
                    TimeUnit.MILLISECONDS);
            sender.schedule(over::countDown, STREAM.toMillis(), TimeUnit.MILLISECONDS);
            if (!over.await(STREAM.toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the stream did not end in time: the sender is stuck");
            }
            sender.shutdownNow();
            chaos.shutdown(); // the events planned for the stream's last moment still run
            if (!sender.awaitTermination(30, TimeUnit.SECONDS) || !chaos.awaitTermination(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the sender or the chaos schedule did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            sender.shutdownNow();
            chaos.shutdownNow();
            watchers.shutdown(); // nodes restarted last are still coming up: let their watchers note when
        }
    }

    private void sendOne(Random choices) {
        long at = elapsedMillis();
        if (at >= STREAM.toMillis()) {
            return;
        }
        NodeProcess node = nodes.get(choices.nextInt(nodes.size()));
        String text = String.format("m%04d-%s", ticks++, node.name());
        if (!node.isRunning()) {
            skipped++;
            return;
        }
        try {
            sends.add(new Send(node, text, at, node.submit("send " + GROUP + " " + text)));
        } catch (NodeProcess.NodeProcessException e) {
            skipped++; // killed between the check and the submit
        }
    }

    /**
     * Kills or restarts a node as planned. A kill that would leave more than {@link #MAX_DOWN} nodes not up
     * (restarted nodes slower to start than planned) is skipped, and the restart that belongs to it.
     */
    private void apply(Event event, ExecutorService watchers) {
        NodeProcess node = nodes.get(event.node());
        if (event.kill()) {
            synchronized (notUp) {
                Set<NodeProcess> after = new HashSet<>(notUp);
                after.add(node);
                if (after.size() > MAX_DOWN) {
                    record("skipped the kill of " + node.name() + ": not up yet: " + names(notUp));
                    return;
                }
                notUp.add(node);
            }
            long killedAt = System.nanoTime();
            kills.add(Map.entry(node, elapsedMillis()));
            node.kill();
            // a JVM in the middle of a write to disk may take a while to die, and delays the events behind it
            record(String.format("killed %s with SIGKILL (gone %.1f s later); not up now: %s", node.name(),
                    seconds(killedAt, System.nanoTime()), notUpNames()));
        } else if (node.isRunning()) {
            record("no restart of " + node.name() + ": its kill was skipped");
        } else {
            long startedAt = System.nanoTime();
            node.start();
            record("restarted " + node.name());
            NodeProcess.Batch id = node.submit("id");
            watchers.execute(() -> {
                try {
                    id.await(NodeProcess.COMMAND_TIMEOUT);
                    synchronized (notUp) {
                        if (!id.ended()) {
                            notUp.remove(node);
                        }
                    }
                    record(String.format("%s is up again, %.1f s after its restart; not up now: %s", node.name(),
                            seconds(startedAt, System.nanoTime()), notUpNames()));
                } catch (NodeProcess.NodeProcessException e) {
                    record(node.name() + " ended before it was up again");
                }
            });
        }
    }

    /**
     * Waits for every send's outcome and sorts the messages into acknowledged and cut off, by
     * {@code author: text} as the history shows them.
     *
     * @return how many of the acknowledged ones printed "no member has taken it yet"
     */
    private int judgeSends(Map<String, Send> acknowledged, Map<String, Send> cutOff) {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        int notTaken = 0;
        for (Send send : sends) {
            List<String> printed;
            try {
                NodeProcess.Output output = send.batch().await(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L)));
                if (!output.errors().isEmpty()) {
                    anomalies.add(send.text() + " at " + send.node().name() + ": " + output.errors());
                }
                printed = output.stdout();
            } catch (NodeProcess.NodeProcessException e) {
                if (!send.batch().ended()) {
                    throw e; // not cut off by a kill: that run of the node is still on
                }
                printed = send.batch().finishedStdout().orElse(null);
            }
            String key = shortIds.get(send.node()) + ": " + send.text();
            if (printed == null) {
                cutOff.put(key, send);
            } else if (printed.size() == 1 && ACKNOWLEDGED.matcher(printed.get(0)).matches()) {
                acknowledged.put(key, send);
                notTaken += printed.get(0).startsWith("sent, but") ? 1 : 0;
            } else {
                anomalies.add("the send of " + send.text() + " at " + send.node().name() + " printed " + printed);
            }
        }
        return notTaken;
    }

    /**
     * Waits until every node's history is the same, holds every acknowledged message once, and nothing but
     * acknowledged and cut-off messages; returns it ({@code author: text} in order).
     */
    private List<String> awaitSameCompleteHistory(Set<String> acknowledged, Set<String> cutOff) {
        AtomicReference<String> divergence = new AtomicReference<>();
        AtomicReference<List<String>> agreed = new AtomicReference<>();
        try {
            await("the same complete history on every node").atMost(SETTLE).pollInterval(POLL).until(() -> {
                Map<NodeProcess, List<String>> histories = new LinkedHashMap<>();
                for (NodeProcess node : nodes) {
                    histories.put(node, History.of(node, GROUP).messages());
                }
                divergence.set(divergence(histories, acknowledged, cutOff));
                agreed.set(histories.get(nodes.get(0)));
                return divergence.get() == null;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the histories differ " + SETTLE.toSeconds() + " s after the stream ("
                    + acknowledged.size() + " acknowledged messages, " + cutOff.size() + " cut off):\n" + divergence.get());
        }
        return agreed.get();
    }

    /** What is wrong with the histories, node by node; null when they are identical and complete. */
    private String divergence(Map<NodeProcess, List<String>> histories, Set<String> acknowledged, Set<String> cutOff) {
        List<String> problems = new ArrayList<>();
        NodeProcess reference = nodes.get(0);
        List<String> referenceHistory = histories.get(reference);
        for (Map.Entry<NodeProcess, List<String>> entry : histories.entrySet()) {
            String name = entry.getKey().name();
            List<String> history = entry.getValue();
            Set<String> held = new HashSet<>(history);
            List<String> missing = acknowledged.stream().filter(m -> !held.contains(m)).toList();
            if (!missing.isEmpty()) {
                problems.add(name + " lacks " + missing.size() + " of the " + acknowledged.size() + " acknowledged messages: "
                        + whereHeld(missing, histories));
            }
            if (held.size() != history.size()) {
                Set<String> seen = new HashSet<>();
                problems.add(name + " holds messages more than once: " + listed(history.stream().filter(m -> !seen.add(m)).toList()));
            }
            List<String> foreign = held.stream().filter(m -> !acknowledged.contains(m) && !cutOff.contains(m)).sorted().toList();
            if (!foreign.isEmpty()) {
                problems.add(name + " holds messages nobody sent: " + listed(foreign));
            }
            if (entry.getKey() == reference || history.equals(referenceHistory)) {
                continue;
            }
            // acknowledged messages a node lacks are named above; cut-off ones must be alike everywhere
            Set<String> referenceHeld = new HashSet<>(referenceHistory);
            List<String> onlyHere = history.stream().filter(m -> cutOff.contains(m) && !referenceHeld.contains(m)).toList();
            List<String> onlyThere = referenceHistory.stream().filter(m -> cutOff.contains(m) && !held.contains(m)).toList();
            if (!onlyHere.isEmpty() || !onlyThere.isEmpty()) {
                problems.add(name + " and " + reference.name() + " hold different cut-off messages: only " + name + " holds "
                        + listed(onlyHere) + "; only " + reference.name() + " holds " + listed(onlyThere));
            } else if (held.equals(referenceHeld)) {
                int at = firstDifference(history, referenceHistory);
                problems.add(name + " lists the same messages as " + reference.name() + " in another order, from position "
                        + at + ": " + listed(history.subList(at, history.size())) + " against "
                        + listed(referenceHistory.subList(at, referenceHistory.size())));
            }
        }
        return problems.isEmpty() ? null : String.join("\n", problems);
    }

    // ------------------------------------------------------------------------------------ reporting

    /** The first messages of a list, each with the nodes that hold it. */
    private String whereHeld(List<String> messages, Map<NodeProcess, List<String>> histories) {
        return listed(messages.stream().map(m -> m + " (held by " + histories.entrySet().stream()
                .filter(e -> e.getValue().contains(m)).map(e -> e.getKey().name()).collect(Collectors.joining(" "))
                + ")").toList());
    }

    private static String listed(List<String> messages) {
        if (messages.isEmpty()) {
            return "nothing";
        }
        String shown = String.join(", ", messages.subList(0, Math.min(LISTED, messages.size())));
        return messages.size() > LISTED ? shown + " and " + (messages.size() - LISTED) + " more" : shown;
    }

    private static int firstDifference(List<String> a, List<String> b) {
        int i = 0;
        while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) {
            i++;
        }
        return i;
    }

    /** Acknowledged sends that a node was given in the last second before it was killed. */
    private long acknowledgedJustBeforeKills(Collection<Send> acknowledged) {
        synchronized (kills) {
            return kills.stream().mapToLong(kill -> acknowledged.stream()
                    .filter(s -> s.node() == kill.getKey() && s.atMillis() < kill.getValue() && s.atMillis() >= kill.getValue() - 1000)
                    .count()).sum();
        }
    }

    private String replay() {
        return "chaos seed " + seed + " (replay: -D" + SEED_PROPERTY + "=" + seed + ")";
    }

    private String schedule() {
        return "chaos schedule (" + plan.stream().filter(Event::kill).count() + " kills, at most " + MAX_DOWN
                + " down at once, stream " + STREAM.toSeconds() + " s, a send every " + SEND_PERIOD.toMillis() + " ms):\n"
                + plan.stream().map(e -> "  " + e).collect(Collectors.joining("\n"));
    }

    private String events() {
        synchronized (log) {
            return "what happened:\n" + String.join("\n", log);
        }
    }

    private void record(String text) {
        log.add(String.format("  %5.1f s  %s", elapsedMillis() / 1000.0, text));
    }

    private String notUpNames() {
        synchronized (notUp) {
            return names(notUp);
        }
    }

    private String names(Collection<NodeProcess> some) {
        List<String> names = nodes.stream().filter(some::contains).map(NodeProcess::name).toList();
        return names.isEmpty() ? "none" : String.join(" ", names);
    }

    /** Runs a scheduled task; what it throws is kept for the end (a periodic task would otherwise stop silently). */
    private void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | AssertionError e) {
            anomalies.add(what + " failed: " + e);
            record(what + " failed: " + e.getMessage());
        }
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - streamStart);
    }

    private static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
