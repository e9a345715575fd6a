package org.ringchat.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupChatListener;
import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.group.internal.FrameType;
import org.ringchat.itests.harness.LocalNode;
import org.ringchat.spi.FrameReceiver;

/**
 * N real ringchat nodes ({@link LocalNode}: Netty over TLS 1.3, Ed25519-signed messages, H2 store, ring
 * topology, default timing) in one group, each with its own data directory. A member has delivered a
 * message when its engine stored it and told its listeners ({@code RECEIVED}).
 */
final class RingchatCluster implements Cluster {

    private static final long FORM_TIMEOUT_MILLIS = 120_000;

    private final List<LocalNode> nodes = new ArrayList<>();
    private final GroupId group;
    private final double formSeconds;
    private final long formHandshakes;
    /** Frames received by every node, by type: what the protocol spent on the broadcasts. */
    private final Map<Integer, LongAdder> framesReceived = new ConcurrentHashMap<>();

    RingchatCluster(int members, Sink sink, Path dir) throws InterruptedException {
        try {
            for (int i = 0; i < members; i++) {
                nodes.add(LocalNode.start(dir.resolve("node" + i)));
            }
            LocalNode owner = nodes.get(0);
            long start = System.nanoTime();
            GroupInfo info = owner.chat().createGroup("bench");
            for (LocalNode member : nodes.subList(1, members)) {
                info = owner.chat().invite(info.id(), member.address()).toCompletableFuture().join();
            }
            group = info.id();
            awaitFormed(info.version());
            formSeconds = (System.nanoTime() - start) / 1e9;
            formHandshakes = nodes.stream().mapToLong(LocalNode::tlsHandshakes).sum();
            for (int i = 0; i < members; i++) {
                listen(i, sink);
            }
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** Waits until every member holds the final state, with all the members in it. */
    private void awaitFormed(long version) throws InterruptedException {
        long deadline = System.currentTimeMillis() + FORM_TIMEOUT_MILLIS;
        for (LocalNode node : nodes) {
            while (node.chat().groups().stream().noneMatch(g -> g.id().equals(group) && g.version() >= version)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the group did not form within " + FORM_TIMEOUT_MILLIS + " ms");
                }
                Thread.sleep(20);
            }
        }
    }

    private void listen(int member, Sink sink) {
        LocalNode node = nodes.get(member);
        node.chat().addListener(new GroupChatListener() {
            @Override
            public void messageUpdated(ChatMessage message) {
                if (message.delivery().status() == Delivery.Status.RECEIVED && message.group().equals(group)) {
                    sink.delivered(member, Payloads.seqOf(message.text()));
                }
            }
        });
        // The engine is the transport's receiver; counting in between costs a map lookup per frame.
        FrameReceiver engine = (FrameReceiver) node.chat();
        node.transport().setReceiver((from, type, body) -> {
            framesReceived.computeIfAbsent(type, t -> new LongAdder()).increment();
            engine.onFrame(from, type, body);
        });
    }

    @Override
    public void broadcast(int sender, long seq, int payloadBytes) {
        nodes.get(sender).chat().send(group, Payloads.text(seq, payloadBytes));
    }

    @Override
    public double formSeconds() {
        return formSeconds;
    }

    @Override
    public long formHandshakes() {
        return formHandshakes;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new TreeMap<>();
        framesReceived.forEach((type, count) -> counters.put(FrameType.name(type), count.sum()));
        return counters;
    }

    @Override
    public void close() {
        // Each node waits up to a second for its goodbyes to be written: close them side by side.
        Parallel.forEach(nodes, LocalNode::close);
        nodes.clear();
    }
}
