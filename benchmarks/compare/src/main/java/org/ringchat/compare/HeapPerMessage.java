package org.ringchat.compare;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupChatListener;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.MessageId;
import org.ringchat.itests.harness.LocalNode;

/**
 * How much a node's live heap grows per message it stores (issue 12: at most 300 B). Two real nodes
 * ({@link LocalNode}: TLS, store, message log) in one JVM form a group; one sends 1 KB messages until both
 * hold them confirmed. A first round fills what is bounded (caches, recent broadcasts); the heap after a
 * full GC (the bytes of the live objects a class histogram counts) is taken before and after the measured
 * round, and the growth divided by the messages stored (each message is stored by both nodes).
 *
 * <pre>java -cp "benchmarks/compare/target/classes:benchmarks/compare/target/lib/*" org.ringchat.compare.HeapPerMessage [messages]</pre>
 */
public final class HeapPerMessage {

    /** More than the most a node remembers of recent messages (routes of 10,000 in Dissemination). */
    private static final int WARM_UP = 12_000;
    private static final int IN_FLIGHT = 256;
    private static final int TEXT_BYTES = 1024;
    /** The last line of a class histogram: "Total", instances, bytes. */
    private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private HeapPerMessage() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        try (ScratchDirectory root = new ScratchDirectory("ringchat-heap");
             LocalNode sender = LocalNode.start(root.path().resolve("sender"));
             LocalNode receiver = LocalNode.start(root.path().resolve("receiver"))) {
            GroupInfo group = sender.chat().createGroup("heap");
            sender.chat().invite(group.id(), receiver.address()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            send(sender, receiver, group, 0, WARM_UP);
            long before = liveHeap();
            long start = System.nanoTime();
            send(sender, receiver, group, WARM_UP, count);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long after = liveHeap();
            System.out.printf("%d messages of %d B stored by 2 nodes in %d ms: live heap %+d B, %+.1f B per stored message%n",
                    count, TEXT_BYTES, millis, after - before, (after - before) / (2.0 * count));
        }
    }

    /** Sends messages and returns once both nodes hold each of them confirmed. */
    private static void send(LocalNode sender, LocalNode receiver, GroupInfo group, long first, int count)
            throws InterruptedException {
        CountDownLatch confirmed = new CountDownLatch(2 * count);
        GroupChatListener atSender = countConfirmed(confirmed);
        GroupChatListener atReceiver = countConfirmed(confirmed);
        sender.chat().addListener(atSender);
        receiver.chat().addListener(atReceiver);
        Deque<CompletableFuture<ChatMessage>> inFlight = new ArrayDeque<>();
        for (long seq = first; seq < first + count; seq++) {
            if (inFlight.size() == IN_FLIGHT) {
                inFlight.poll().join();
            }
            inFlight.add(sender.chat().send(group.id(), Payloads.text(seq, TEXT_BYTES)).toCompletableFuture());
        }
        if (!confirmed.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException(confirmed.getCount() + " confirmations did not come within 10 minutes");
        }
        sender.chat().removeListener(atSender);
        receiver.chat().removeListener(atReceiver);
    }

    /** Counts each message once when a node first sees it confirmed (a listener per node). */
    private static GroupChatListener countConfirmed(CountDownLatch confirmed) {
        Set<MessageId> seen = ConcurrentHashMap.newKeySet();
        return new GroupChatListener() {
            @Override
            public void messageUpdated(ChatMessage message) {
                if (message.delivery().status() == Delivery.Status.CONFIRMED && seen.add(message.id())) {
                    confirmed.countDown();
                }
            }
        };
    }

    /**
     * The bytes of all live objects, as a class histogram counts them after a full GC, the second of two:
     * the first still counts the unused rest of each thread's allocation buffer, which it fills with
     * dead {@code int[]} (13 MB of them after a round here). The heap's "used" after {@code System.gc()}
     * counted those too, and varied by 12 MB from run to run.
     */
    private static long liveHeap() throws Exception {
        classHistogram();
        String histogram = classHistogram();
        Matcher total = TOTAL.matcher(histogram);
        if (!total.find()) {
            throw new IllegalStateException("no total in the class histogram: " + histogram.lines().findFirst().orElse(""));
        }
        return Long.parseLong(total.group(1));
    }

    private static String classHistogram() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
    }
}
