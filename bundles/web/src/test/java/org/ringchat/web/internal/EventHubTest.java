package org.ringchat.web.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.JoinRequest;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.Presence;
import org.ringchat.spi.Topology;
import org.ringchat.topology.ring.internal.RingTopology;
import org.ringchat.topology.tree.internal.TreeTopology;

class EventHubTest {

    private static final Duration LONG = Duration.ofMinutes(5); // no heartbeat unless a test asks for one
    private final FakeChat chat = new FakeChat();
    private volatile Optional<Topology> topology = Optional.of(new RingTopology());
    private final PeerAddress bob = FakeChat.address(2);
    private final ExecutorService writers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        writers.shutdownNow();
    }

    /** What a client got; {@link #write} blocks while {@link #hold} is counted up. */
    private static final class Recorder implements EventHub.Sink {
        final List<String> written = new ArrayList<>(); // guarded by this
        volatile CountDownLatch hold = new CountDownLatch(0);
        volatile boolean failing;
        volatile boolean closed;

        @Override
        public void write(String text) throws IOException {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            if (failing) {
                throw new IOException("the client went away");
            }
            synchronized (this) {
                written.add(text);
            }
        }

        @Override
        public void close() {
            closed = true;
        }

        synchronized String all() {
            return String.join("", written);
        }
    }

    private EventHub hub(Duration heartbeat, int queueSize, int maxClients) {
        return new EventHub(chat, () -> topology, new EventHub.Settings(heartbeat, queueSize, maxClients), writers);
    }

    @Test
    void aClientGetsHelloThenTheEngineEventsAsEventStreamFrames() {
        GroupInfo group = chat.group("friends", bob);
        EventHub hub = hub(LONG, 16, 4);
        Recorder client = new Recorder();
        assertTrue(hub.subscribe(client).isPresent());
        hub.messageUpdated(chat.message(group, bob, "hi\nthere", FakeChat.confirmed(2)));
        hub.groupUpdated(group);
        hub.joinRequested(new JoinRequest(group.id(), "friends", FakeChat.address(3), bob.peerId(), java.time.Instant.EPOCH));
        hub.joinDeclined(group.id(), bob.peerId());
        hub.removedFrom(group);
        hub.catchingUp(group, 3, 10);
        ChatMessage withdrawn = chat.message(group, bob, "withdrawn", FakeChat.confirmed(2));
        hub.messageWithdrawn(withdrawn);

        await().atMost(Duration.ofSeconds(10)).until(() -> client.all().contains("event: withdrawn"));
        String all = client.all();
        assertTrue(all.startsWith("retry: 2000\n\nevent: hello\ndata: {\"address\":\"" + chat.me + "\",\"topology\":\"ring\"}\n\n"), all);
        String[] frames = all.split("\n\n");
        assertEquals(List.of("retry: 2000", "event: hello", "event: message", "event: group", "event: join-request",
                "event: join-declined", "event: removed", "event: catching-up", "event: withdrawn"), List.of(frames).stream().map(f -> f.split("\n")[0]).toList());
        assertTrue(frames[2].contains("\"text\":\"hi\\nthere\""), "one data line per event: " + frames[2]);
        assertEquals("event: removed\ndata: {\"group\":\"" + group.id() + "\",\"name\":\"friends\"}", frames[6]);
        assertEquals("event: catching-up\ndata: {\"group\":\"" + group.id() + "\",\"received\":3,\"total\":10}", frames[7]);
        assertTrue(frames[8].contains("\"id\":\"" + withdrawn.id() + "\""), frames[8]);
    }

    @Test
    void presenceChangesArePolledAndSentOnce() {
        chat.group("friends", bob);
        EventHub hub = hub(LONG, 16, 4);
        Recorder client = new Recorder();
        hub.subscribe(client); // takes note of presence: bob UNKNOWN
        hub.poll();
        chat.presence.put(bob.peerId(), Presence.ONLINE);
        hub.poll();
        hub.poll();
        hub.messageUpdated(chat.message(chat.groups.get(0), bob, "after the polls", FakeChat.confirmed(2)));

        await().atMost(Duration.ofSeconds(10)).until(() -> client.all().contains("after the polls"));
        String all = client.all();
        assertEquals(1, all.split("event: presence", -1).length - 1, all);
        assertTrue(all.contains("event: presence\ndata: {\"peer\":\"" + bob.peerId() + "\",\"presence\":\"ONLINE\"}\n\n"), all);
    }

    @Test
    void aReplacedTopologyIsAnnouncedAtOnceAndNamedToLaterClients() {
        EventHub hub = hub(LONG, 16, 4);
        Recorder client = new Recorder();
        hub.subscribe(client);
        topology = Optional.of(new TreeTopology());
        hub.topologyChanged();
        topology = Optional.empty();
        hub.topologyChanged();

        await().atMost(Duration.ofSeconds(10)).until(() -> client.all().contains("{\"name\":null}"));
        assertTrue(client.all().endsWith("event: topology\ndata: {\"name\":\"tree\"}\n\n"
                + "event: topology\ndata: {\"name\":null}\n\n"), client.all());
        Recorder later = new Recorder();
        hub.subscribe(later);
        await().atMost(Duration.ofSeconds(10)).until(() -> later.all().contains("event: hello"));
        assertTrue(later.all().contains("\"topology\":null}"), later.all());
    }

    @Test
    void withoutClientsNothingIsPolled() {
        chat.group("friends", bob);
        EventHub hub = hub(LONG, 16, 4);
        chat.presence.put(bob.peerId(), Presence.OFFLINE);
        hub.poll();
        Recorder client = new Recorder();
        hub.subscribe(client); // the baseline is taken now, so the earlier change is not news
        chat.presence.put(bob.peerId(), Presence.ONLINE);
        hub.poll();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.all().contains("event: presence"));
        assertFalse(client.all().contains("OFFLINE"), client.all());
    }

    @Test
    void anIdleStreamGetsHeartbeats() {
        EventHub hub = hub(Duration.ofMillis(20), 16, 4);
        Recorder client = new Recorder();
        hub.subscribe(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.all().contains(": heartbeat\n\n"));
    }

    @Test
    void aClientThatGoesAwayIsDropped() {
        EventHub hub = hub(Duration.ofMillis(20), 16, 4);
        Recorder client = new Recorder();
        client.failing = true;
        hub.subscribe(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.closed && hub.clientCount() == 0);
    }

    @Test
    void aClientThatFallsBehindIsDroppedOthersStay() throws InterruptedException {
        GroupInfo group = chat.group("friends", bob);
        EventHub hub = hub(LONG, 4, 4);
        Recorder slow = new Recorder();
        slow.hold = new CountDownLatch(1); // blocks in its first write (hello)
        Recorder fast = new Recorder();
        hub.subscribe(slow);
        hub.subscribe(fast);
        await().atMost(Duration.ofSeconds(10)).until(() -> fast.all().contains("event: hello"));
        for (int i = 0; i < 5; i++) {
            assertEquals(2, hub.clientCount(), "the slow one holds " + i + " events");
            hub.messageUpdated(chat.message(group, bob, "m" + i, FakeChat.confirmed(2)));
            String text = "\"m" + i + "\"";
            await().atMost(Duration.ofSeconds(10)).until(() -> fast.all().contains(text)); // the fast one keeps up
        }
        assertEquals(1, hub.clientCount(), "the slow one is dropped at its fifth event");
        slow.hold.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> slow.closed);
        assertFalse(slow.all().contains("m0"), "a dropped client gets nothing more: " + slow.all());
        assertFalse(fast.closed);
        hub.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> fast.closed);
        writers.shutdown();
        assertTrue(writers.awaitTermination(10, TimeUnit.SECONDS), "every writer has stopped");
    }

    @Test
    void atMostMaxClients() {
        EventHub hub = hub(LONG, 4, 2);
        assertTrue(hub.subscribe(new Recorder()).isPresent());
        Optional<EventHub.Subscription> second = hub.subscribe(new Recorder());
        assertTrue(second.isPresent());
        Recorder third = new Recorder();
        assertEquals(Optional.empty(), hub.subscribe(third));
        assertFalse(third.closed, "a refused sink is left to the caller");
        second.get().cancel();
        assertEquals(1, hub.clientCount());
        assertTrue(hub.subscribe(third).isPresent());
    }
}
