package org.ringchat.itests.paxexam.driver;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupChatListener;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.itests.harness.LocalNode;
import org.ringchat.itests.paxexam.support.Itest;
import org.ringchat.spi.Topology;
import org.ringchat.topology.ring.internal.RingTopology;
import org.ringchat.topology.tree.internal.TreeTopology;

/**
 * Two ringchat nodes in the driver JVM, outside the framework, wired in plain Java by the harness: one
 * spreads messages by the ring topology, the other by the tree. Each answers every message another
 * member writes (other than an echo) with {@code "echo-<name>: " + text}, at every arrival of a message
 * in its history, that is at every {@link GroupChatListener#messageUpdated} with status
 * {@link Delivery.Status#RECEIVED}. The listener deliberately does not deduplicate: a message delivered
 * twice to a peer shows as a second echo in the group.
 * <p>
 * Driver side only, like {@link EchoPeer}: started from a {@code @Configuration} method, stopped when the
 * JVM exits. Each peer also logs (to the test's output) any second arrival of a message it sees.
 */
public final class CountingPeers {

    private static final Map<String, Peer> peers = new LinkedHashMap<>();

    private CountingPeers() {
    }

    /**
     * Starts both peers unless they run already; their addresses by name ({@link Itest#RING_PEER},
     * {@link Itest#TREE_PEER}).
     */
    public static synchronized Map<String, PeerAddress> ensureStarted() {
        if (peers.isEmpty()) {
            try {
                peers.put(Itest.RING_PEER, new Peer(Itest.RING_PEER, RingTopology::new));
                peers.put(Itest.TREE_PEER, new Peer(Itest.TREE_PEER, TreeTopology::new));
            } catch (RuntimeException e) {
                stop();
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(CountingPeers::stop, "counting-peers-shutdown"));
        }
        Map<String, PeerAddress> addresses = new LinkedHashMap<>();
        peers.forEach((name, peer) -> addresses.put(name, peer.node.address()));
        return addresses;
    }

    /** Stops both peers; harmless when they do not run. */
    public static synchronized void stop() {
        for (Peer peer : peers.values()) {
            peer.close();
        }
        peers.clear();
    }

    private static final class Peer {
        final String name;
        final LocalNode node;
        final ExecutorService replies;
        /** Per message of another member, how often it arrived in this peer's history. */
        final Map<MessageId, AtomicInteger> arrivals = new ConcurrentHashMap<>();

        Peer(String name, Supplier<Topology> topology) {
            this.name = name;
            Path dataDir = RingchatOptions.newDataDir(name + "-peer-");
            replies = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name + "-peer-replies");
                t.setDaemon(true);
                return t;
            });
            Topology instance = topology.get();
            try {
                node = LocalNode.start(dataDir, instance);
            } catch (RuntimeException e) {
                replies.shutdownNow();
                throw new IllegalStateException("the " + name + " peer (harness LocalNode, topology "
                        + instance.name() + ") did not start in " + dataDir, e);
            }
            PeerId self = node.address().peerId();
            node.chat().addListener(new GroupChatListener() {
                @Override
                public void messageUpdated(ChatMessage message) {
                    // on the engine's thread, once per change of a message; RECEIVED is its arrival here
                    if (message.author().equals(self) || message.delivery().status() != Delivery.Status.RECEIVED) {
                        return;
                    }
                    int arrival = arrivals.computeIfAbsent(message.id(), id -> new AtomicInteger()).incrementAndGet();
                    if (arrival > 1) {
                        System.out.println(name + " peer: message " + message.id() + " '" + message.text()
                                + "' arrived again (" + arrival + " times)");
                    }
                    if (!message.text().startsWith(Itest.ECHO_PREFIX)) {
                        replies.execute(() -> answer(message));
                    }
                }
            });
            System.out.println(name + " peer (topology " + instance.name() + ") started at " + node.address()
                    + ", data in " + dataDir);
        }

        void answer(ChatMessage message) {
            try {
                node.chat().send(message.group(), Itest.ECHO_PREFIX + name + ": " + message.text()).whenComplete((sent, error) -> {
                    if (error != null) {
                        System.err.println(name + " peer: could not answer " + message.id() + ": " + error);
                    }
                });
            } catch (RuntimeException e) {
                System.err.println(name + " peer: could not answer " + message.id() + ": " + e);
            }
        }

        void close() {
            try {
                node.close();
            } catch (RuntimeException e) {
                System.err.println(name + " peer: close failed: " + e);
            } finally {
                replies.shutdownNow();
                try {
                    replies.awaitTermination(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
