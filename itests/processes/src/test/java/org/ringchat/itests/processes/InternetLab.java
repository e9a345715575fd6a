package org.ringchat.itests.processes;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A lab that looks like the internet, made of Linux network namespaces: an <em>internet</em> namespace with a
 * bridge, members on it with public addresses, and members behind a home router each, whose NAT lets their
 * connections out and none in. Between them, {@link DelayForwarder} gives every link the delay, jitter and
 * loss of its ends' {@link LinkProfile}s, in user space (this kernel has no netem).
 * <pre>
 *   internet namespace: bridge br0 (10.78.0.0/16), the DelayForwarder on 10.78.2.k for each reachable member k
 *        │                                      │
 *   member k (reachable)                    router k: wan 10.78.3.k; MASQUERADE out of wan; drops what comes in
 *   eth0 10.78.1.k, listens there,          on wan unless it answers a connection from inside
 *   advertises 10.78.2.k                         │ lan 192.168.k.1
 *                                           member k (behind the NAT): eth0 192.168.k.2, default route via
 *                                           its router; advertises 10.78.3.k, which nobody can dial
 * </pre>
 * A connection to a reachable member goes to its public address, where the forwarder takes it and dials the
 * member: so every connection crosses the forwarder once, with the profile of the dialler's access link (by
 * its source address: a member's own, or its router's) plus the member's. The nodes are placed with
 * {@link NodeProcess#inNetworkNamespace} and {@link NodeProcess#advertise}, as a user would start them.
 * <p>
 * Names are unique per run ({@code rclab-<pid>-<random>-...}); {@link #close()} stops the forwarder and deletes
 * every namespace, and so does a shutdown hook should the JVM end first. Every link is made inside the
 * namespaces: the host's own interfaces and firewall are never touched.
 */
final class InternetLab implements AutoCloseable {

    /** A member of the lab: its node (created, not started), its access link, and whether a NAT hides it. */
    record Member(NodeProcess node, LinkProfile link, boolean behindNat) {

        static Member reachable(NodeProcess node, LinkProfile link) {
            return new Member(node, link, false);
        }

        static Member behindNat(NodeProcess node, LinkProfile link) {
            return new Member(node, link, true);
        }
    }

    private static final String FORWARDER_JAVA_OPTS = "-Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    private static final int CONNECT_PROBE_SECONDS = 3;

    private final String ip;
    private final String prefix;
    private final Path workDir;
    private final List<Member> members;
    /** Each member's access link now (the k-th member's at k - 1): as created, or as {@link #changeLinks} set them. */
    private final List<LinkProfile> links;
    private long seed;
    private final List<String> created = new ArrayList<>();
    private final Thread cleanup = new Thread(this::tearDown, "ringchat-itest-lab-cleanup");
    private Process forwarder;

    private InternetLab(String ip, Path workDir, List<Member> members) {
        this.ip = ip;
        this.workDir = workDir;
        this.members = List.copyOf(members);
        this.links = new ArrayList<>(members.stream().map(Member::link).toList());
        this.prefix = "rclab-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    /** Why the lab cannot be made here; empty when it can (Linux, root, iproute2, iptables, and the kernel lets us). */
    static Optional<String> unavailable() {
        Optional<String> uid = HostCommands.effectiveUid();
        if (uid.isEmpty()) {
            return Optional.of("network namespaces need Linux (no /proc/self/status here)");
        }
        if (!uid.get().equals("0")) {
            return Optional.of("network namespaces need root (ip netns add); this runs as uid " + uid.get());
        }
        Optional<String> ip = HostCommands.find("ip");
        if (ip.isEmpty()) {
            return Optional.of("no 'ip' command (iproute2) in PATH, /usr/sbin or /sbin");
        }
        if (HostCommands.find("iptables").isEmpty()) {
            return Optional.of("no 'iptables' command in PATH, /usr/sbin or /sbin (Debian: apt-get install iptables)");
        }
        String probe = "rclab-probe-" + ProcessHandle.current().pid();
        HostCommands.Result added = HostCommands.run(List.of(ip.get(), "netns", "add", probe));
        if (added.status() != 0) {
            return Optional.of("'ip netns add' fails here: " + added.output());
        }
        HostCommands.run(List.of(ip.get(), "netns", "del", probe));
        return Optional.empty();
    }

    /**
     * Builds the lab for {@code members} (in this order: member k is the k-th, from 1), places their nodes in it,
     * and starts the forwarder, its log {@code workDir/forwarder.log}; {@code seed} draws its delays and losses.
     */
    static InternetLab create(Path workDir, List<Member> members, long seed) {
        InternetLab lab = new InternetLab(HostCommands.find("ip").orElseThrow(() -> new IllegalStateException(
                "no 'ip' command: check unavailable() first")), workDir, members);
        Runtime.getRuntime().addShutdownHook(lab.cleanup);
        try {
            lab.build();
            lab.seed = seed;
            lab.startForwarder();
        } catch (RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build() {
        String internet = internet();
        add(internet);
        ip("-n", internet, "link", "set", "lo", "up");
        ip("-n", internet, "link", "add", "br0", "type", "bridge");
        ip("-n", internet, "addr", "add", "10.78.0.1/16", "dev", "br0");
        ip("-n", internet, "link", "set", "br0", "up");
        for (int k = 1; k <= members.size(); k++) {
            Member member = members.get(k - 1);
            String ns = prefix + "-m" + k;
            add(ns);
            ip("-n", ns, "link", "set", "lo", "up");
            if (member.behindNat()) {
                buildHome(k, ns);
            } else {
                // made in the internet namespace, its other end moved straight into the member's
                ip("-n", internet, "link", "add", "m" + k, "type", "veth", "peer", "name", "eth0", "netns", ns);
                ip("-n", internet, "link", "set", "m" + k, "master", "br0", "up");
                ip("-n", ns, "addr", "add", ownHost(k) + "/16", "dev", "eth0");
                ip("-n", ns, "link", "set", "eth0", "up");
                ip("-n", internet, "addr", "add", "10.78.2." + k + "/16", "dev", "br0");
            }
            member.node().inNetworkNamespace(ip, ns, ownHost(k)).advertise(publicHost(k) + ":" + member.node().port());
        }
    }

    /** Member {@code k}'s home: a router namespace between the internet and the member, doing NAT. */
    private void buildHome(int k, String memberNs) {
        String router = prefix + "-r" + k;
        add(router);
        ip("-n", router, "link", "set", "lo", "up");
        ip("-n", internet(), "link", "add", "r" + k, "type", "veth", "peer", "name", "wan", "netns", router);
        ip("-n", internet(), "link", "set", "r" + k, "master", "br0", "up");
        ip("-n", router, "addr", "add", publicHost(k) + "/16", "dev", "wan");
        ip("-n", router, "link", "set", "wan", "up");
        ip("-n", router, "link", "add", "lan", "type", "veth", "peer", "name", "eth0", "netns", memberNs);
        ip("-n", router, "addr", "add", "192.168." + k + ".1/24", "dev", "lan");
        ip("-n", router, "link", "set", "lan", "up");
        ip("-n", memberNs, "addr", "add", ownHost(k) + "/24", "dev", "eth0");
        ip("-n", memberNs, "link", "set", "eth0", "up");
        ip("-n", memberNs, "route", "add", "default", "via", "192.168." + k + ".1");
        inNamespace(router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        // a home router: connections from inside go out under its address; from outside only their answers come in
        inNamespace(router, "iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE");
        for (String chain : List.of("INPUT", "FORWARD")) {
            inNamespace(router, "iptables", "-A", chain, "-i", "wan", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT");
            inNamespace(router, "iptables", "-A", chain, "-i", "wan", "-j", "DROP");
        }
    }

    /**
     * Gives every member the access link {@code link} says from now on: the forwarder starts again with them,
     * so the connections through it break, and the nodes dial again.
     */
    void changeLinks(Function<NodeProcess, LinkProfile> link) {
        for (int k = 1; k <= members.size(); k++) {
            links.set(k - 1, link.apply(members.get(k - 1).node()));
        }
        stopForwarder();
        seed++;
        startForwarder();
    }

    private void startForwarder() {
        List<String> command = new ArrayList<>(List.of(ip, "netns", "exec", internet(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(FORWARDER_JAVA_OPTS.split(" ")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DelayForwarder.class.getName(),
                "--seed", Long.toString(seed)));
        for (int k = 1; k <= members.size(); k++) {
            Member member = members.get(k - 1);
            // a member behind a NAT dials out under its router's address: that is where its access link is
            command.addAll(List.of("--link", (member.behindNat() ? publicHost(k) : ownHost(k)) + "=" + links.get(k - 1).argument()));
            if (!member.behindNat()) {
                int port = member.node().port();
                command.addAll(List.of("--route", publicHost(k) + ":" + port + "=" + ownHost(k) + ":" + port));
            }
        }
        Path log = workDir.resolve("forwarder.log");
        CountDownLatch ready = new CountDownLatch(1);
        try {
            forwarder = new ProcessBuilder(command).redirectErrorStream(true).start();
            Writer out = Files.newBufferedWriter(log, UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            out.write(String.join(" ", command) + "\n");
            Thread copier = new Thread(() -> copy(forwarder, out, ready), "ringchat-itest-lab-forwarder-log");
            copier.setDaemon(true);
            copier.start();
            if (!ready.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the lab's forwarder did not start within 60 s; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the lab's forwarder: " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the lab's forwarder started", e);
        }
        if (!forwarder.isAlive()) {
            throw new IllegalStateException("the lab's forwarder exited with status " + forwarder.exitValue() + "; see " + log);
        }
    }

    private static void copy(Process process, Writer out, CountDownLatch ready) {
        try (out; BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                out.write(line + "\n");
                out.flush();
                if (line.startsWith(DelayForwarder.READY)) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // the log is for debugging: the forwarder goes on
        } finally {
            ready.countDown(); // it ended: startForwarder says so
        }
    }

    /** Where member {@code k} listens, in its namespace: on the internet, or on its home network. */
    private String ownHost(int k) {
        return members.get(k - 1).behindNat() ? "192.168." + k + ".2" : "10.78.1." + k;
    }

    /** The host others dial for member {@code k}: the forwarder's address for it, or its router's. */
    private String publicHost(int k) {
        return members.get(k - 1).behindNat() ? "10.78.3." + k : "10.78.2." + k;
    }

    /** The member of {@code node}, counted from 1. */
    private int indexOf(NodeProcess node) {
        for (int k = 1; k <= members.size(); k++) {
            if (members.get(k - 1).node() == node) {
                return k;
            }
        }
        throw new IllegalArgumentException(node.name() + " is not in the lab");
    }

    /** Where {@code node} listens: {@code 10.78.1.k:port}, or {@code 192.168.k.2:port} behind its router. */
    String ownAddress(NodeProcess node) {
        return ownHost(indexOf(node)) + ":" + node.port();
    }

    /** What {@code node} advertises: its public address, the forwarder's for it or its router's. */
    String publicAddress(NodeProcess node) {
        return publicHost(indexOf(node)) + ":" + node.port();
    }

    /** Whether a TCP connection from {@code from}'s namespace to {@code hostPort} opens within a few seconds. */
    boolean canConnect(NodeProcess from, String hostPort) {
        String[] parts = hostPort.split(":");
        return HostCommands.run(List.of(ip, "netns", "exec", namespaceOf(from), "timeout", Integer.toString(CONNECT_PROBE_SECONDS),
                "bash", "-c", "exec 3<>/dev/tcp/" + parts[0] + "/" + parts[1])).status() == 0;
    }

    private String namespaceOf(NodeProcess node) {
        return prefix + "-m" + indexOf(node);
    }

    /** One line per member: where it listens, what it advertises, its link. */
    String describe() {
        return "internet lab " + prefix + " (DelayForwarder: " + workDir.resolve("forwarder.log") + "):\n"
                + IntStream.rangeClosed(1, members.size()).mapToObj(k -> {
                    NodeProcess node = members.get(k - 1).node();
                    return String.format("  %-4s %-22s advertises %-20s %s; link %s", node.name(), ownAddress(node), publicAddress(node),
                            members.get(k - 1).behindNat() ? "behind a NAT" : "reachable", links.get(k - 1));
                }).collect(Collectors.joining("\n"));
    }

    /** The namespaces of this lab that still have a name. */
    List<String> remaining() {
        return HostCommands.run(List.of(ip, "netns", "list")).output().lines().map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith(prefix)).toList();
    }

    /** Stops the forwarder and deletes every namespace of the lab. */
    @Override
    public void close() {
        tearDown();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }

    private synchronized void tearDown() {
        stopForwarder();
        // members and routers first: deleting the internet's namespace then takes the bridge and the veth pairs with it
        for (int i = created.size() - 1; i >= 0; i--) {
            HostCommands.run(List.of(ip, "netns", "del", created.get(i)));
        }
        created.clear();
    }

    private synchronized void stopForwarder() {
        if (forwarder == null) {
            return;
        }
        forwarder.destroyForcibly();
        try {
            forwarder.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forwarder = null;
    }

    private String internet() {
        return prefix + "-internet";
    }

    private synchronized void add(String namespace) {
        ip("netns", "add", namespace);
        created.add(namespace);
    }

    private void ip(String... args) {
        HostCommands.check(Stream.concat(Stream.of(ip), Stream.of(args)).toList());
    }

    private void inNamespace(String namespace, String... command) {
        String executable = HostCommands.find(command[0]).orElseThrow(() -> new IllegalStateException("no '" + command[0] + "' command"));
        List<String> full = new ArrayList<>(List.of(ip, "netns", "exec", namespace, executable));
        full.addAll(List.of(command).subList(1, command.length));
        HostCommands.check(full);
    }
}
