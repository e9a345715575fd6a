package org.ringchat.itests.processes;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Linux network namespaces for node processes: one per node, each joined by a veth pair to a bridge in a
 * hub namespace, so that the nodes talk over a real IP stack (10.77.0.0/24) instead of loopback. Every link
 * is made from inside the namespaces ({@code ip -n NAME ...}); the host's own interfaces are never touched.
 * <p>
 * Where the kernel has netem, every node's link delays and drops what the node sends ({@value #NETEM}):
 * about 40 ms round trips and 1 % loss each way. Where it has not, the namespaces run without it and
 * {@link #netemProblem()} says why.
 * <p>
 * Names are unique per run ({@code rcchaos-<pid>-<random>-...}); {@link #close()} deletes them, and so does
 * a shutdown hook should the JVM end first. A node process still running keeps its namespace alive, without
 * a name, until it is killed.
 */
final class NetworkNamespaces implements AutoCloseable {

    static final String NETEM = "delay 20ms 5ms loss 1%";
    private static final String SUBNET = "10.77.0.";
    private static final int FIRST_HOST = 11;

    private final String ip;
    private final String prefix;
    private final List<String> created = new ArrayList<>();
    private final Thread cleanup = new Thread(this::deleteAll, "ringchat-itest-netns-cleanup");
    private String netemProblem;

    private NetworkNamespaces(String ip) {
        this.ip = ip;
        this.prefix = "rcchaos-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    /** Why namespaces cannot be made here; empty when they can (root, iproute2, and the kernel lets us). */
    static Optional<String> unavailable() {
        Optional<String> uid = effectiveUid();
        if (uid.isEmpty()) {
            return Optional.of("network namespaces need Linux (no /proc/self/status here)");
        }
        if (!uid.get().equals("0")) {
            return Optional.of("network namespaces need root (ip netns add); this runs as uid " + uid.get());
        }
        Optional<String> ip = command("ip");
        if (ip.isEmpty()) {
            return Optional.of("no 'ip' command (iproute2) in PATH, /usr/sbin or /sbin");
        }
        String probe = "rcchaos-probe-" + ProcessHandle.current().pid();
        Result added = run(List.of(ip.get(), "netns", "add", probe));
        if (added.status != 0) {
            return Optional.of("'ip netns add' fails here: " + added.output);
        }
        run(List.of(ip.get(), "netns", "del", probe));
        return Optional.empty();
    }

    /** {@code nodes} namespaces joined by a bridge, netem applied where the kernel has it. */
    static NetworkNamespaces create(int nodes) {
        NetworkNamespaces net = new NetworkNamespaces(command("ip").orElseThrow(() -> new IllegalStateException(
                "no 'ip' command: check unavailable() first")));
        Runtime.getRuntime().addShutdownHook(net.cleanup);
        try {
            net.build(nodes);
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    private void build(int nodes) {
        String hub = hub();
        add(hub);
        ip("-n", hub, "link", "add", "br0", "type", "bridge");
        ip("-n", hub, "link", "set", "br0", "up");
        for (int k = 1; k <= nodes; k++) {
            String ns = namespace(k);
            add(ns);
            ip("-n", ns, "link", "set", "lo", "up");
            // made in the hub, its other end moved straight into the node's namespace
            ip("-n", hub, "link", "add", "v" + k, "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("-n", hub, "link", "set", "v" + k, "master", "br0", "up");
            ip("-n", ns, "addr", "add", address(k) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
        }
        Optional<String> tc = command("tc");
        if (tc.isEmpty()) {
            netemProblem = "no 'tc' command (iproute2) in PATH, /usr/sbin or /sbin";
            return;
        }
        for (int k = 1; k <= nodes; k++) {
            List<String> netem = new ArrayList<>(List.of(ip, "netns", "exec", namespace(k), tc.get(), "qdisc", "add", "dev", "eth0",
                    "root", "netem"));
            netem.addAll(List.of(NETEM.split(" ")));
            Result result = run(netem);
            if (result.status != 0 && k == 1) {
                netemProblem = "netem is not available in this kernel: " + result.output;
                return;
            }
            check(netem, result);
        }
    }

    /** The namespace of node {@code k} (from 1). */
    String namespace(int k) {
        return prefix + "-n" + k;
    }

    /** The address of node {@code k} (from 1) in its namespace. */
    String address(int k) {
        return SUBNET + (FIRST_HOST + k - 1);
    }

    /** The {@code ip} command, for {@link NodeProcess#inNetworkNamespace}. */
    String ip() {
        return ip;
    }

    /** Why the links have no netem delay and loss; empty when they have. */
    Optional<String> netemProblem() {
        return Optional.ofNullable(netemProblem);
    }

    /** The namespaces of this run that still have a name. */
    List<String> remaining() {
        Result list = run(List.of(ip, "netns", "list"));
        return list.output.lines().map(l -> l.split(" ")[0]).filter(n -> n.startsWith(prefix)).toList();
    }

    /** Deletes every namespace of this run. */
    @Override
    public void close() {
        deleteAll();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }

    private synchronized void deleteAll() {
        // node namespaces first: deleting the hub's then takes the bridge and the veth pairs with it
        for (int i = created.size() - 1; i >= 0; i--) {
            run(List.of(ip, "netns", "del", created.get(i)));
        }
        created.clear();
    }

    private String hub() {
        return prefix + "-hub";
    }

    private synchronized void add(String namespace) {
        ip("netns", "add", namespace);
        created.add(namespace);
    }

    private void ip(String... args) {
        List<String> command = new ArrayList<>(List.of(ip));
        command.addAll(List.of(args));
        check(command, run(command));
    }

    private static void check(List<String> command, Result result) {
        if (result.status != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + result.status + "): " + result.output);
        }
    }

    private record Result(int status, String output) {
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8).strip();
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** An executable {@code name} in PATH, /usr/sbin or /sbin (where iproute2 lives, often not in a user's PATH). */
    private static Optional<String> command(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/sbin", "/sbin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }

    private static Optional<String> effectiveUid() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return Optional.empty();
        }
        try {
            // "Uid:	real	effective	saved	filesystem"
            return Files.readAllLines(status).stream().filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+")[2]).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + status, e);
        }
    }
}
