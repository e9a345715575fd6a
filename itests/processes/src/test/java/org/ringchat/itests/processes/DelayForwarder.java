package org.ringchat.itests.processes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The lab's links, in user space: a TCP forwarder that {@link InternetLab} runs as a process of its own in the
 * lab's internet namespace, where this kernel has no netem. Each route listens on a member's public address
 * and forwards every connection to the member's own address; the bytes of each direction are held back as
 * the {@link LinkProfile}s of both ends say (the dialler's, found by the connection's source address, which
 * for a member behind a NAT is its router's, and the member's), in order, with a stall for a lost chunk.
 * <p>
 * Why a forwarder and not a transport wrapper inside the node: the nodes under test run unchanged
 * ({@code bin/ringchat}, TLS, Netty), the delay sits between machines as on the internet, and nothing of the lab
 * can reach the production path. What it cannot model: loss of single packets (a TCP segment or an
 * acknowledgement), so connection set-up is never lost; a chunk is what one read returns, usually one write
 * of the sender.
 * <p>
 * {@code DelayForwarder --seed N [--link IP=DELAY/JITTER/LOSS]... [--route HOST:PORT=HOST:PORT]...} prints
 * {@value #READY} once every route listens, then a line per connection; it runs until killed.
 */
final class DelayForwarder {

    static final String READY = "forwarding: ready";
    private static final int CHUNK = 16 * 1024;
    /** Chunks in flight per direction: a sender faster than the link waits, as on a full TCP window. */
    private static final int IN_FLIGHT = 256;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final Map<InetAddress, LinkProfile> links;
    private final long seed;
    private final AtomicLong connections = new AtomicLong();

    private DelayForwarder(Map<InetAddress, LinkProfile> links, long seed) {
        this.links = links;
        this.seed = seed;
    }

    public static void main(String[] args) throws IOException {
        Map<InetAddress, LinkProfile> links = new HashMap<>();
        List<String[]> routes = new ArrayList<>();
        long seed = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String[] pair = args[i + 1].split("=", 2);
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--link" -> links.put(InetAddress.getByName(pair[0]), LinkProfile.parse(pair[1]));
                case "--route" -> routes.add(pair);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " in " + Arrays.toString(args));
            }
        }
        DelayForwarder forwarder = new DelayForwarder(Map.copyOf(links), seed);
        for (String[] route : routes) {
            forwarder.listen(socketAddress(route[0]), socketAddress(route[1]));
        }
        System.out.println(READY + " (" + routes.size() + " routes, seed " + seed + ")");
    }

    private void listen(InetSocketAddress at, InetSocketAddress target) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(at, 64);
        thread("accept " + at, () -> {
            while (true) {
                try {
                    Socket from = server.accept();
                    thread("connect " + target, () -> connect(from, at, target));
                } catch (IOException e) {
                    System.out.println("accepting on " + at + " failed: " + e);
                    return;
                }
            }
        });
    }

    private void connect(Socket from, InetSocketAddress at, InetSocketAddress target) {
        InetAddress source = from.getInetAddress();
        LinkProfile profile = profile(source).plus(profile(target.getAddress()));
        Socket to = new Socket();
        try {
            to.connect(target, CONNECT_TIMEOUT_MS);
            from.setTcpNoDelay(true);
            to.setTcpNoDelay(true);
        } catch (IOException e) {
            // the member is down: the dialler sees its connection closed
            System.out.println("connection from " + source.getHostAddress() + " to " + at + ": " + target + " refused (" + e.getMessage() + ")");
            closeBoth(from, to);
            return;
        }
        long number = connections.incrementAndGet();
        System.out.println("connection " + number + " from " + source.getHostAddress() + " to " + at + " -> " + target + ": " + profile);
        // both sockets are closed once both directions have ended
        AtomicInteger ended = new AtomicInteger();
        Runnable directionEnded = () -> {
            if (ended.incrementAndGet() == 2) {
                closeBoth(from, to);
            }
        };
        new Direction(from, to, profile, new Random(seed * 1_000_003 + 2 * number), directionEnded).start("#" + number + " out");
        new Direction(to, from, profile, new Random(seed * 1_000_003 + 2 * number + 1), directionEnded).start("#" + number + " back");
    }

    private LinkProfile profile(InetAddress address) {
        return links.getOrDefault(address, LinkProfile.NONE);
    }

    /** One direction of a connection: a reader that stamps each chunk with when it is due, a writer that waits for that. */
    private static final class Direction {
        private static final byte[] END = new byte[0];

        private record Chunk(byte[] bytes, long dueNanos) {
        }

        private final Socket in;
        private final Socket out;
        private final LinkProfile profile;
        private final Random random;
        private final Runnable ended;
        private final BlockingQueue<Chunk> inFlight = new ArrayBlockingQueue<>(IN_FLIGHT);
        private long lastDue;

        Direction(Socket in, Socket out, LinkProfile profile, Random random, Runnable ended) {
            this.in = in;
            this.out = out;
            this.profile = profile;
            this.random = random;
            this.ended = ended;
        }

        void start(String name) {
            thread(name + " read", this::read);
            thread(name + " write", this::write);
        }

        private void read() {
            byte[] buffer = new byte[CHUNK];
            try {
                InputStream input = in.getInputStream();
                int n;
                while ((n = input.read(buffer)) >= 0) {
                    inFlight.put(new Chunk(Arrays.copyOf(buffer, n), due()));
                }
            } catch (IOException e) {
                closeBoth(in, out); // reset: so is the other side
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                inFlight.put(new Chunk(END, due())); // the writer ends after what came before
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Never before the chunk ahead: the stream stays in order, and a stall holds back what follows. */
        private long due() {
            long due = System.nanoTime() + (long) (profile.transitMs(random) * 1_000_000);
            lastDue = Math.max(lastDue, due);
            return lastDue;
        }

        private void write() {
            try {
                OutputStream output = out.getOutputStream();
                while (true) {
                    Chunk chunk = inFlight.take();
                    long wait = chunk.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (chunk.bytes() == END) {
                        out.shutdownOutput();
                        ended.run();
                        return;
                    }
                    output.write(chunk.bytes());
                }
            } catch (IOException e) {
                closeBoth(in, out);
                inFlight.clear(); // a reader waiting for room goes on, and finds its socket closed
                ended.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeBoth(Socket a, Socket b) {
        for (Socket socket : List.of(a, b)) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static InetSocketAddress socketAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Not a daemon: the forwarder runs until it is killed. */
    private static void thread(String name, Runnable task) {
        new Thread(task, "forwarder " + name).start();
    }
}
