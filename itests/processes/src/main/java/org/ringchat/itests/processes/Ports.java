package org.ringchat.itests.processes;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Listen ports for node processes on 127.0.0.1.
 * <p>
 * A node keeps its port across restarts, so the port must stay free while the node is down. A port
 * that the kernel hands out for {@code bind(0)} comes from the ephemeral range, where it may also
 * become the local port of some outgoing connection (the other nodes keep dialing the dead one) and
 * then cannot be bound again. So ports are picked at random <em>below</em> the ephemeral range (as read
 * from {@code /proc/sys/net/ipv4/ip_local_port_range}), each checked by binding it, and never handed
 * out twice by this JVM. Where there is no room below that range, the kernel's {@code bind(0)} choice
 * is used. Ports that browsers refuse to load pages from are never handed out, since any node may serve
 * its web page on the port picked.
 */
public final class Ports {

    /** The lowest port handed out. */
    static final int LOWEST = 10000;
    private static final int ATTEMPTS = 200;
    /**
     * The ports at or above {@link #LOWEST} on the "unsafe port" lists of Chromium and Firefox: a page
     * there fails with ERR_UNSAFE_PORT (NAT Slipstreaming, 2021).
     */
    private static final Set<Integer> REFUSED_BY_BROWSERS = Set.of(10080);
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private Ports() {
    }

    /** A port on 127.0.0.1 that is free now and was not handed out before by this JVM. */
    public static int pick() {
        int limit = ephemeralLow();
        if (limit - LOWEST >= 1000) {
            for (int i = 0; i < ATTEMPTS; i++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, limit);
                if (!REFUSED_BY_BROWSERS.contains(port) && !HANDED_OUT.contains(port) && isFree(port)
                        && HANDED_OUT.add(port)) {
                    return port;
                }
            }
        }
        for (int i = 0; i < ATTEMPTS; i++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(loopback(), 0));
                int port = socket.getLocalPort();
                if (!REFUSED_BY_BROWSERS.contains(port) && HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot bind any port on 127.0.0.1: " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("no free port found on 127.0.0.1");
    }

    /**
     * Whether a server socket can bind the port now, with {@code SO_REUSEADDR} as the node's (NIO)
     * server socket has it, so that connections of an earlier run left in TIME_WAIT do not count.
     */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(loopback(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The lowest ephemeral port (Linux); 32768 (the Linux default) when it cannot be read. */
    private static int ephemeralLow() {
        // read as a stream: Files.readString trusts the size that procfs reports, and returns a part only
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            String[] range = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
