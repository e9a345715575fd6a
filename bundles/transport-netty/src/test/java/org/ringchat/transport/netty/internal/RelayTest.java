package org.ringchat.transport.netty.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.Reachability;
import org.ringchat.spi.Relaying;

/** Dial-backs and circuits between real transports on loopback, some of which nobody can dial. */
class RelayTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void pollQuickly() {
        Awaitility.setDefaultPollDelay(Duration.ZERO);
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
        Awaitility.setDefaultTimeout(Duration.ofSeconds(20));
    }

    private final List<TestNode> nodes = new ArrayList<>();
    /** The one group every node here is in, as each node's {@link Relaying} sees it. */
    private final Set<PeerId> group = ConcurrentHashMap.newKeySet();
    /** Who published which relays. */
    private final Map<PeerId, List<PeerAddress>> records = new ConcurrentHashMap<>();

    @AfterEach
    void closeNodes() {
        nodes.forEach(TestNode::close);
    }

    @Test
    void aNodeLearnsFromADialBackThatOthersCanDialIt() throws Exception {
        TestNode relay = member(TestNode.start(dir.resolve("r"), RelaySettings.defaults()));
        TestNode node = member(TestNode.start(dir.resolve("a"), RelaySettings.defaults()));

        node.send(relay, "hello").get(5, TimeUnit.SECONDS);

        await().until(() -> node.transport.reachability().status() == Reachability.Status.DIALABLE);
        assertTrue(node.transport.reachability().detail().contains("dialled"), node.transport.reachability().detail());
        assertEquals(List.of(), node.transport.reachability().relays());
    }

    @Test
    void aNodeNobodyCanDialLearnsItAndReservesAtItsRelay() throws Exception {
        TestNode relay = member(TestNode.start(dir.resolve("r"), RelaySettings.defaults()));
        TestNode node = undialableMember("a", relay);

        Reachability reachability = node.transport.reachability();
        assertEquals(Reachability.Status.NOT_DIALABLE, reachability.status());
        assertTrue(reachability.detail().contains("could not dial"), reachability.detail());
    }

    @Test
    void aNodeDoesNotLearnFromAPeerThatWillNotDialBackAStranger() throws Exception {
        TestNode relay = member(TestNode.start(dir.resolve("r"), RelaySettings.defaults()));

        TestNode stranger = refusedAsAStranger("s", relay);

        assertEquals(Reachability.Status.UNKNOWN, stranger.transport.reachability().status());
    }

    @Test
    void aNodeRefusedBeforeItsJoiningWasAppliedAsksAgainUntilAMemberDialsBack() throws Exception {
        TestNode relay = member(TestNode.start(dir.resolve("r"), RelaySettings.defaults()));
        TestNode joining = refusedAsAStranger("j", relay);

        // The relay applies the joining, and the joining node hears of no change of its groups.
        group.add(joining.peerId());

        await().until(() -> joining.transport.reachability().status() == Reachability.Status.NOT_DIALABLE);
        assertTrue(joining.transport.reachability().detail().contains("could not dial"),
                joining.transport.reachability().detail());
    }

    @Test
    void twoNodesNobodyCanDialTalkThroughARelay() throws Exception {
        TestNode relay = member(TestNode.start(dir.resolve("r"), RelaySettings.defaults()));
        TestNode alice = undialableMember("a", relay);
        TestNode bob = undialableMember("b", relay);
        relay.next();
        relay.next();

        alice.send(bob.address(), 0x10, "hello bob").get(10, TimeUnit.SECONDS);
        TestNode.Received atBob = bob.next();
        bob.send(alice.address(), 0x11, "hello alice").get(10, TimeUnit.SECONDS);
        TestNode.Received atAlice = alice.next();

        assertEquals(alice.peerId(), atBob.from());
        assertEquals("hello bob", atBob.text());
        assertEquals(bob.peerId(), atAlice.from());
        assertEquals("hello alice", atAlice.text());
        assertTrue(relay.inbox.isEmpty(), "the relay passes bytes on and reads no frame of theirs: " + relay.inbox);
    }

    @Test
    void aRelayRefusesACircuitFromAPeerOutsideItsGroups() throws Exception {
        TestNode relay = member(TestNode.start(dir.resolve("r"), RelaySettings.defaults()));
        TestNode bob = undialableMember("b", relay);
        TestNode stranger = TestNode.start(dir.resolve("s"), RelaySettings.defaults());
        nodes.add(stranger);
        stranger.transport.setRelaying(relaying(stranger));

        String failure = failureOf(stranger.send(bob.address(), 0x10, "let me in"));

        assertTrue(failure.contains("not members of one group of this relay"), failure);
        assertTrue(bob.inbox.isEmpty());
    }

    @Test
    void aRelayRefusesACircuitOverItsLimit() throws Exception {
        TestNode relay = member(TestNode.start(dir.resolve("r"), new RelaySettings(64, 1, 16, 1 << 20, Duration.ofHours(1), 3)));
        TestNode alice = undialableMember("a", relay);
        TestNode bob = undialableMember("b", relay);
        TestNode carol = member(TestNode.start(dir.resolve("c"), RelaySettings.defaults()));
        alice.send(bob.address(), 0x10, "first").get(10, TimeUnit.SECONDS);
        bob.next();

        String failure = failureOf(carol.send(bob.address(), 0x10, "second"));

        assertTrue(failure.contains("already 1 circuits (relay.max.circuits)"), failure);
    }

    @Test
    void aCircuitThatCarriedItsBytesIsClosedAndTheNextSendOpensAnother() throws Exception {
        TestNode relay = member(TestNode.start(dir.resolve("r"), new RelaySettings(64, 16, 16, 8 * 1024, Duration.ofHours(1), 3)));
        TestNode alice = undialableMember("a", relay);
        TestNode bob = undialableMember("b", relay);
        alice.send(bob.address(), 0x10, "x".repeat(20_000));
        // The circuit closes during that frame; the next send opens a new circuit.
        await().untilAsserted(() -> {
            alice.send(bob.address(), 0x10, "again").get(10, TimeUnit.SECONDS);
            assertEquals("again", bob.next().text());
        });
    }

    @Test
    void aRelayRejectsHostileFramesOfAMemberAndGoesOnRelaying() throws Exception {
        TestNode relay = member(TestNode.start(dir.resolve("r"), RelaySettings.defaults()));
        TestNode alice = undialableMember("a", relay);
        TestNode bob = undialableMember("b", relay);
        List<Frame> hostile = List.of(
                new Frame(RelayFrames.CIRCUIT_OPEN, new byte[] {1, 2, 3}),
                new Frame(RelayFrames.CIRCUIT_DATA, new byte[] {0, 0, 0, 9, 42}),
                new Frame(RelayFrames.CIRCUIT_ACCEPT, new byte[] {0, 0, 0, 9}),
                new Frame(RelayFrames.CIRCUIT_CLOSE, new byte[] {0, 0, 0, 9, (byte) 0xff}),
                new Frame(RelayFrames.REACH_REQUEST, new byte[17]),
                new Frame(RelayFrames.RESERVED, new byte[] {7}),
                new Frame(RelayFrames.CIRCUIT_OPEN, new RelayFrames.CircuitPeer(RelayFrames.CIRCUIT_OPEN, 5, relay.peerId()).frame().body()),
                new Frame(0x0f, new byte[] {1}));
        for (Frame frame : hostile) {
            alice.transport.sendControl(relay.address(), frame).get(5, TimeUnit.SECONDS);
        }

        alice.send(bob.address(), 0x10, "still relayed").get(10, TimeUnit.SECONDS);

        assertEquals("still relayed", bob.next().text());
        assertTrue(relay.inbox.stream().noneMatch(received -> received.type() < 0x10), "the transport keeps its own frames");
    }

    /** A node in the group, which every other node's {@link Relaying} knows. */
    private TestNode member(TestNode node) {
        nodes.add(node);
        group.add(node.peerId());
        node.transport.setRelaying(relaying(node));
        return node;
    }

    /** A member nobody can dial, which has learnt so and reserved at {@code relay}, and published that. */
    private TestNode undialableMember(String name, TestNode relay) throws Exception {
        TestNode node = member(TestNode.startUndialable(dir.resolve(name), RelaySettings.defaults()));
        node.transport.useRelays(List.of(relay.address()));
        node.send(relay, "hello from " + name).get(5, TimeUnit.SECONDS);
        await().until(() -> node.transport.reachability().relays().contains(relay.peerId()));
        records.put(node.peerId(), List.of(relay.address()));
        return node;
    }

    /** A node nobody can dial, in no group yet, whose question to {@code relay} was refused. */
    private TestNode refusedAsAStranger(String name, TestNode relay) throws Exception {
        TestNode node = TestNode.startUndialable(dir.resolve(name), RelaySettings.defaults());
        nodes.add(node);
        node.transport.setRelaying(relaying(node));
        node.send(relay, "hello").get(5, TimeUnit.SECONDS);
        await().until(() -> node.transport.reachability().detail().contains("would not dial back"));
        return node;
    }

    private Relaying relaying(TestNode node) {
        return new Relaying() {
            @Override
            public boolean shareGroup(PeerId a, PeerId b) {
                return group.contains(node.peerId()) && group.contains(a) && group.contains(b);
            }

            @Override
            public List<PeerAddress> relaysOf(PeerId peer) {
                return records.getOrDefault(peer, List.of());
            }
        };
    }

    private static String failureOf(java.util.concurrent.CompletableFuture<Void> send) throws Exception {
        try {
            send.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause().getMessage();
        }
        throw new AssertionError("the send succeeded");
    }
}
