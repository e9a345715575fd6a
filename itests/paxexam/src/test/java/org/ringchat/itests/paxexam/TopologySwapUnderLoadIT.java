package org.ringchat.itests.paxexam;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.dto.ServiceReferenceDTO;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.SatisfiedReferenceDTO;
import org.osgi.util.tracker.ServiceTracker;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupChat;
import org.ringchat.api.GroupChatListener;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.Member;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.itests.paxexam.driver.CountingPeers;
import org.ringchat.itests.paxexam.driver.RingchatOptions;
import org.ringchat.itests.paxexam.support.Await;
import org.ringchat.itests.paxexam.support.Histories;
import org.ringchat.itests.paxexam.support.Itest;
import org.ringchat.itests.paxexam.support.OsgiDiagnostics;
import org.ringchat.spi.Ring;

/**
 * The topology is a plug-in that can be swapped while messages flow: the node inside Felix (ring
 * topology, as provisioned) chats with two peers in the driver JVM, one running the ring and one the
 * tree (see {@link CountingPeers}). A sender thread writes {@value #MESSAGES} messages, spread over a
 * few seconds; after the first third, the test thread uninstalls the ring bundle, lets a few more
 * messages be written while the node has no topology, then installs and starts the tree bundle.
 * <p>
 * Afterwards the node runs the tree, and nothing was lost or delivered twice: the node's history holds
 * every sent message exactly once and sees each confirmed by the whole group, and each peer answered
 * every sent message exactly once (a peer answers at every arrival of a message in its history, so a
 * duplicated delivery would show as a second echo).
 * <p>
 * Only the {@code @Configuration} method touches the driver-side classes; the test method runs inside
 * the framework and sees the peers only as the addresses in {@link Itest#RING_PEER_PROPERTY} and
 * {@link Itest#TREE_PEER_PROPERTY}, and the tree bundle as the location in {@link Itest#TREE_BUNDLE_PROPERTY}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TopologySwapUnderLoadIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(Itest.TIMEOUT_SECONDS);
    /**
     * For the messages to settle after the swap: a message written while no topology is bound is offered
     * again when one arrives or, at the latest, after the retry interval (5 s); what a broadcast missed
     * meanwhile comes with the next anti-entropy rounds (every 5 s, neighbours in turn).
     */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(120);
    /**
     * How long the history must stay unchanged before it is taken as final: two anti-entropy intervals,
     * so that a copy still on its way (a late duplicate, a missing echo) has had its chance to show.
     */
    private static final Duration QUIET = Duration.ofSeconds(10);

    private static final int MESSAGES = 60;
    /** The swap starts once this many messages are written. */
    private static final int SWAP_AFTER = MESSAGES / 3;
    /** While there is no topology, this many more messages are written before the tree comes. */
    private static final int WRITTEN_WITHOUT_TOPOLOGY = 5;
    /** Pause between two messages of the sender, to spread them over the swap. */
    private static final long SEND_PAUSE_MILLIS = 150;

    private static final String GROUP_CHAT_COMPONENT = "org.ringchat.group.internal.GroupChatComponent";
    private static final String TOPOLOGY_SERVICE = "org.ringchat.spi.Topology";
    private static final String TOPOLOGY_REFERENCE = "Topology";

    @Inject
    private BundleContext context;

    private ServiceTracker<GroupChat, GroupChat> chatTracker;
    private ServiceTracker<ServiceComponentRuntime, ServiceComponentRuntime> scrTracker;

    @Configuration
    public Option[] config() {
        // runs in the driver JVM: start the two peers there and tell the framework side their addresses
        Map<String, PeerAddress> peers = CountingPeers.ensureStarted();
        return new Option[] {
            RingchatOptions.node(RingchatOptions.newDataDir("felix-swap-"), RingchatOptions.LOOPBACK_ANY_PORT),
            systemProperty(Itest.RING_PEER_PROPERTY).value(peers.get(Itest.RING_PEER).toString()),
            systemProperty(Itest.TREE_PEER_PROPERTY).value(peers.get(Itest.TREE_PEER).toString()),
            systemProperty(Itest.TREE_BUNDLE_PROPERTY).value(
                    RingchatOptions.ringchatBundleLocation(Itest.TREE_TOPOLOGY_BUNDLE)),
        };
    }

    @Before
    public void openTrackers() {
        chatTracker = new ServiceTracker<>(context, GroupChat.class, null);
        chatTracker.open();
        scrTracker = new ServiceTracker<>(context, ServiceComponentRuntime.class, null);
        scrTracker.open();
    }

    @After
    public void closeTrackers() {
        scrTracker.close();
        chatTracker.close();
    }

    @Test
    public void swapsRingForTreeWhileMessagesFlow() throws Exception {
        OsgiDiagnostics.assertBundlesActive(context);
        assertNull("the tree topology is not provisioned with the node\n" + OsgiDiagnostics.bundleTable(context),
                find(Itest.TREE_TOPOLOGY_BUNDLE));
        Bundle ringBundle = find(Itest.RING_TOPOLOGY_BUNDLE);
        assertNotNull("the ring topology is provisioned with the node\n" + OsgiDiagnostics.bundleTable(context),
                ringBundle);
        GroupChat chat = OsgiDiagnostics.awaitService(chatTracker, GroupChat.class, TIMEOUT,
                () -> OsgiDiagnostics.report(context));
        ServiceComponentRuntime scr = OsgiDiagnostics.awaitService(scrTracker, ServiceComponentRuntime.class, TIMEOUT,
                () -> OsgiDiagnostics.bundleTable(context));
        Await.until("the node to run the ring topology", TIMEOUT, () -> chat.topology().equals(Optional.of("ring")),
                () -> "topology() is " + chat.topology() + "\n" + OsgiDiagnostics.report(context));
        assertBoundTopology(scr, "ring", ringBundle.getBundleId());

        // the node must go through the swap as it is: the same GroupChat service all along
        ServiceReference<GroupChat> chatReference = chatTracker.getServiceReference();
        Object chatServiceId = chatReference.getProperty(Constants.SERVICE_ID);
        List<String> chatServiceEvents = new CopyOnWriteArrayList<>();
        ServiceListener chatServiceListener = event -> {
            if (event.getType() != ServiceEvent.MODIFIED) {
                chatServiceEvents.add((event.getType() == ServiceEvent.REGISTERED ? "registered" : "unregistering")
                        + " GroupChat service.id " + event.getServiceReference().getProperty(Constants.SERVICE_ID)
                        + " at " + System.currentTimeMillis());
            }
        };
        context.addServiceListener(chatServiceListener, "(objectClass=" + GroupChat.class.getName() + ")");

        PeerId self = chat.localAddress().peerId();
        PeerAddress ringPeer = PeerAddress.parse(System.getProperty(Itest.RING_PEER_PROPERTY));
        PeerAddress treePeer = PeerAddress.parse(System.getProperty(Itest.TREE_PEER_PROPERTY));
        Map<PeerId, String> peerNames = Map.of(ringPeer.peerId(), Itest.RING_PEER, treePeer.peerId(), Itest.TREE_PEER);

        GroupInfo group = chat.createGroup("topology-swap");
        await("invite of the ring peer " + ringPeer, chat.invite(group.id(), ringPeer), TIMEOUT);
        GroupInfo joined = await("invite of the tree peer " + treePeer, chat.invite(group.id(), treePeer), TIMEOUT);
        assertEquals("members after the invites: " + joined.members(), 3, joined.members().size());
        String ringOrder = ringOrder(joined, peerNames);

        // every arrival of a message in this node's history, by message: a second one is a duplicated delivery
        Map<MessageId, AtomicInteger> arrivals = new ConcurrentHashMap<>();
        AtomicLong lastEvent = new AtomicLong(System.nanoTime());
        GroupChatListener arrivalCounter = new GroupChatListener() {
            @Override
            public void messageUpdated(ChatMessage message) {
                if (!message.group().equals(group.id())) {
                    return;
                }
                lastEvent.set(System.nanoTime());
                if (message.delivery().status() == Delivery.Status.RECEIVED) {
                    arrivals.computeIfAbsent(message.id(), id -> new AtomicInteger()).incrementAndGet();
                }
            }
        };
        chat.addListener(arrivalCounter);

        Sender sender = new Sender(chat, group);
        Bundle treeBundle;
        long gapMillis;
        int writtenAtUninstall;
        int writtenAtInstall;
        try {
            sender.start();
            Await.until(SWAP_AFTER + " messages to be written before the swap", TIMEOUT,
                    () -> sender.written.get() >= SWAP_AFTER || sender.done.getCount() == 0, sender::describe);

            // the swap, while the sender goes on writing
            long gapStart = System.nanoTime();
            ringBundle.uninstall();
            refresh(ringBundle);
            Await.until("the node to be without a topology once the ring bundle is uninstalled", TIMEOUT,
                    () -> chat.topology().isEmpty(),
                    () -> "topology() is " + chat.topology() + "\n" + chatServiceEvents + "\n"
                            + OsgiDiagnostics.report(context));
            int uninstalledAt = sender.written.get();
            writtenAtUninstall = uninstalledAt;
            Await.until(WRITTEN_WITHOUT_TOPOLOGY + " more messages to be written while the node has no topology",
                    TIMEOUT, () -> sender.written.get() >= uninstalledAt + WRITTEN_WITHOUT_TOPOLOGY
                            || sender.done.getCount() == 0, sender::describe);
            writtenAtInstall = sender.written.get();
            treeBundle = context.installBundle(System.getProperty(Itest.TREE_BUNDLE_PROPERTY));
            treeBundle.start();
            // (or for the GroupChat service to go: then the node restarted, which the assertions below report)
            Await.until("the node to run the tree topology", TIMEOUT,
                    () -> chat.topology().equals(Optional.of("tree")) || !chatServiceEvents.isEmpty(),
                    () -> "topology() is " + chat.topology() + "\n" + sender.describe() + "\n"
                            + OsgiDiagnostics.report(context));
            gapMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - gapStart);

            assertTrue("the sender did not finish in time\n" + sender.describe(),
                    sender.done.await(SETTLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        } finally {
            sender.interrupt();
            context.removeServiceListener(chatServiceListener);
        }
        System.out.println("topology swap: " + sender.written.get() + " messages written, " + writtenWhen(sender)
                + "; ring uninstalled after " + writtenAtUninstall + ", tree installed after " + writtenAtInstall
                + "; no topology for " + gapMillis + " ms; ring order " + ringOrder);

        // the node went through the swap without a restart, and every send was accepted
        assertEquals("the GroupChat service must stay registered through the swap (service.id " + chatServiceId
                        + "): a node without a topology keeps its messages waiting\n" + sender.describe() + "\n"
                        + OsgiDiagnostics.report(context),
                List.of(), chatServiceEvents);
        assertEquals("sends that failed:\n" + sender.describe(), List.of(), sender.errors);
        assertEquals("messages written", MESSAGES, sender.written.get());
        assertEquals(chatServiceId, chatTracker.getServiceReference().getProperty(Constants.SERVICE_ID));

        // the tree is in use, the ring is gone
        assertEquals(Bundle.UNINSTALLED, ringBundle.getState());
        assertEquals(Bundle.ACTIVE, treeBundle.getState());
        assertBoundTopology(scr, "tree", treeBundle.getBundleId());
        ServiceReference<?>[] topologies = context.getServiceReferences(TOPOLOGY_SERVICE, null);
        assertNotNull("no Topology service at all\n" + OsgiDiagnostics.report(context), topologies);
        assertEquals("Topology services after the swap: " + describe(topologies), 1, topologies.length);
        assertEquals("tree", topologies[0].getProperty("topology.name"));
        assertEquals(treeBundle, topologies[0].getBundle());
        assertEquals(Optional.of("tree"), chat.topology());

        // every send is acknowledged, even those written while there was no topology
        List<ChatMessage> sent = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            ChatMessage message = await("send of '" + text(i) + "'", sender.results.get(i), SETTLE_TIMEOUT);
            assertEquals(text(i), message.text());
            assertEquals(self, message.author());
            sent.add(message);
        }

        // everything settles: each sent message confirmed by the whole group and echoed by both peers ...
        Await.until("every sent message CONFIRMED by all 3 members and echoed by both peers", SETTLE_TIMEOUT,
                () -> missingAnything(chat.history(group.id()), sent, peerNames).isEmpty(),
                () -> String.join("\n", missingAnything(chat.history(group.id()), sent, peerNames)) + "\n"
                        + "history of " + group.id() + " on " + self.shortText() + ":\n" + Histories.describe(chat.history(group.id())));
        // ... and then stays as it is: nothing more arrives, no late duplicate
        AtomicReference<List<ChatMessage>> last = new AtomicReference<>(chat.history(group.id()));
        AtomicLong lastChange = new AtomicLong(System.nanoTime());
        Await.until("the history to stay unchanged for " + QUIET.toSeconds() + " s", SETTLE_TIMEOUT, () -> {
            List<ChatMessage> now = chat.history(group.id());
            if (!now.equals(last.get())) {
                last.set(now);
                lastChange.set(System.nanoTime());
            }
            long quietSince = Math.max(lastChange.get(), lastEvent.get());
            return System.nanoTime() - quietSince >= QUIET.toNanos();
        }, () -> Histories.describe(chat.history(group.id())));
        chat.removeListener(arrivalCounter);

        List<ChatMessage> history = chat.history(group.id());
        String shown = "\nhistory of " + group.id() + " on " + self.shortText() + ":\n" + Histories.describe(history);

        // no duplicated delivery here: every message of the group once in the history, each arrived once
        Map<MessageId, Long> byId = history.stream().collect(Collectors.groupingBy(ChatMessage::id, Collectors.counting()));
        byId.forEach((id, n) -> assertEquals("copies of message " + id + " in the history" + shown, 1L, (long) n));
        arrivals.forEach((id, n) -> assertEquals("arrivals of message " + id + " here" + shown, 1, n.get()));

        // every sent message exactly once, and confirmed by all three members
        Map<String, List<ChatMessage>> byText = history.stream().collect(Collectors.groupingBy(ChatMessage::text));
        for (ChatMessage message : sent) {
            List<ChatMessage> copies = byText.getOrDefault(message.text(), List.of());
            assertEquals("messages '" + message.text() + "' in the history" + shown, 1, copies.size());
            ChatMessage held = copies.get(0);
            assertEquals("the ID of '" + message.text() + "'" + shown, message.id(), held.id());
            assertEquals("delivery of '" + message.text() + "': " + held.delivery().describe() + shown,
                    Delivery.Status.CONFIRMED, held.delivery().status());
            assertEquals("members reached by '" + message.text() + "': " + held.delivery().describe() + shown,
                    3, held.delivery().reached());
        }

        // every peer answered every sent message exactly once: each got it once, none lost
        for (Map.Entry<PeerId, String> peer : peerNames.entrySet()) {
            for (ChatMessage message : sent) {
                String echo = echo(peer.getValue(), message.text());
                List<ChatMessage> echoes = byText.getOrDefault(echo, List.of());
                assertEquals("echoes '" + echo + "' in the history" + shown, 1, echoes.size());
                assertEquals("author of '" + echo + "'" + shown, peer.getKey(), echoes.get(0).author());
                assertEquals("arrivals of '" + echo + "' here" + shown,
                        1, arrivals.getOrDefault(echoes.get(0).id(), new AtomicInteger()).get());
            }
        }
        // and nothing else was said
        assertEquals("messages in the history (" + MESSAGES + " sent, and an echo of each from both peers)" + shown,
                3 * MESSAGES, history.size());

        // leave the peers alone in the driver JVM: take them out of the group (best effort)
        for (PeerAddress peer : List.of(ringPeer, treePeer)) {
            chat.remove(group.id(), peer.peerId());
        }
    }

    /** Writes the messages at a fixed rate, without waiting for their acknowledgements. */
    private static final class Sender {
        final GroupChat chat;
        final GroupInfo group;
        final List<CompletableFuture<ChatMessage>> results = Collections.synchronizedList(new ArrayList<>());
        final List<String> errors = new CopyOnWriteArrayList<>();
        final long[] writtenAt = new long[MESSAGES];
        final AtomicInteger written = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(1);
        final long start = System.nanoTime();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "topology-swap-sender");
            t.setDaemon(true);
            return t;
        });

        Sender(GroupChat chat, GroupInfo group) {
            this.chat = chat;
            this.group = group;
        }

        /** One message every {@code SEND_PAUSE_MILLIS}, so that the messages are spread over the swap. */
        void start() {
            timer.scheduleAtFixedRate(this::sendNext, 0, SEND_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
        }

        void interrupt() {
            timer.shutdownNow();
        }

        private void sendNext() {
            int i = written.get();
            if (i >= MESSAGES) {
                return;
            }
            CompletableFuture<ChatMessage> result;
            try {
                result = chat.send(group.id(), text(i)).toCompletableFuture();
            } catch (RuntimeException e) {
                errors.add("'" + text(i) + "': " + e);
                result = CompletableFuture.failedFuture(e);
            }
            results.add(result);
            writtenAt[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (written.incrementAndGet() == MESSAGES) {
                done.countDown();
                timer.shutdown();
            }
        }

        String describe() {
            return written.get() + " of " + MESSAGES + " messages written" + (done.getCount() == 0 ? ", done" : "")
                    + (errors.isEmpty() ? "" : "; errors:\n  " + String.join("\n  ", errors));
        }
    }

    /**
     * The members in the order both topologies place them ({@link Ring}), by name: the tree's root comes
     * first, so where this node sits decides who forwards to whom.
     */
    private static String ringOrder(GroupInfo group, Map<PeerId, String> peerNames) {
        List<PeerId> members = group.members().stream().map(Member::peerId).toList();
        return Ring.of(group.id(), members).members().stream().map(p -> peerNames.getOrDefault(p, "felix")).toList()
                .toString();
    }

    private static String writtenWhen(Sender sender) {
        return "the first at " + sender.writtenAt[0] + " ms, the last at " + sender.writtenAt[MESSAGES - 1] + " ms";
    }

    /** What is still missing for the history to be complete; empty when nothing is. */
    private static List<String> missingAnything(List<ChatMessage> history, List<ChatMessage> sent,
                                                Map<PeerId, String> peerNames) {
        Map<MessageId, ChatMessage> byId = history.stream()
                .collect(Collectors.toMap(ChatMessage::id, Function.identity(), (a, b) -> a));
        Map<String, Long> texts = history.stream().collect(Collectors.groupingBy(ChatMessage::text, Collectors.counting()));
        List<String> missing = new ArrayList<>();
        for (ChatMessage message : sent) {
            ChatMessage held = byId.get(message.id());
            if (held == null) {
                missing.add("'" + message.text() + "' is not in the history");
            } else if (held.delivery().status() != Delivery.Status.CONFIRMED || held.delivery().reached() < 3) {
                missing.add("'" + message.text() + "' is " + held.delivery().describe());
            }
            for (String name : peerNames.values()) {
                if (!texts.containsKey(echo(name, message.text()))) {
                    missing.add("no '" + echo(name, message.text()) + "'");
                }
            }
        }
        return missing;
    }

    private void assertBoundTopology(ServiceComponentRuntime scr, String name, long bundleId) throws InterruptedException {
        AtomicReference<String> bound = new AtomicReference<>("?");
        Await.until("the group engine's Topology reference to be bound to the " + name + " topology of bundle "
                        + bundleId, TIMEOUT, () -> {
                    bound.set(boundTopologies(scr));
                    return bound.get().equals("[" + name + " from bundle " + bundleId + "]");
                },
                () -> "bound: " + bound.get() + "\n" + OsgiDiagnostics.report(context));
    }

    /** The Topology services the active GroupChatComponent is bound to, as SCR reports them. */
    private static String boundTopologies(ServiceComponentRuntime scr) {
        List<String> bound = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!description.name.equals(GROUP_CHAT_COMPONENT)) {
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                if (configuration.state != ComponentConfigurationDTO.ACTIVE) {
                    bound.add("(configuration " + configuration.id + " is "
                            + OsgiDiagnostics.componentStateName(configuration.state) + ")");
                    continue;
                }
                for (SatisfiedReferenceDTO reference : configuration.satisfiedReferences) {
                    if (reference.name.equals(TOPOLOGY_REFERENCE)) {
                        for (ServiceReferenceDTO service : reference.boundServices) {
                            bound.add(service.properties.get("topology.name") + " from bundle " + service.bundle);
                        }
                    }
                }
            }
        }
        return bound.toString();
    }

    /** Uninstalled bundles go for good once the framework refreshes them; waits for that. */
    private void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch refreshed = new CountDownLatch(1);
        AtomicReference<FrameworkEvent> result = new AtomicReference<>();
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class)
                .refreshBundles(List.of(bundle), event -> {
                    result.set(event);
                    refreshed.countDown();
                });
        assertTrue("the framework did not refresh " + bundle.getSymbolicName() + " in time",
                refreshed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("refresh of " + bundle.getSymbolicName() + ": " + result.get().getThrowable(),
                FrameworkEvent.PACKAGES_REFRESHED, result.get().getType());
    }

    private Bundle find(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        return null;
    }

    private static void assertNull(String message, Object value) {
        if (value != null) {
            fail(message + " (found " + value + ")");
        }
    }

    private static String text(int i) {
        return String.format("message %02d", i);
    }

    private static String echo(String peerName, String text) {
        return Itest.ECHO_PREFIX + peerName + ": " + text;
    }

    private static <T> T await(String what, CompletionStage<T> stage, Duration timeout)
            throws InterruptedException {
        try {
            return stage.toCompletableFuture().get(timeout.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not complete in " + timeout.toSeconds() + " s");
        }
    }

    private static String describe(ServiceReference<?>[] references) {
        List<String> described = new ArrayList<>();
        for (ServiceReference<?> reference : references == null ? new ServiceReference<?>[0] : references) {
            described.add(reference.getProperty("topology.name") + " from " + reference.getBundle().getSymbolicName());
        }
        return described.toString();
    }
}
