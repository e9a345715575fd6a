package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupChatListener;
import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.JoinRequest;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.Presence;
import org.ringchat.api.RingchatException;
import org.ringchat.state.log.Change;
import org.ringchat.state.log.OpHash;
import org.ringchat.state.log.StateOp;
import org.ringchat.spi.StateStore;
import org.ringchat.state.messages.LegacyMessages;
import org.ringchat.state.messages.MessageLog;
import org.ringchat.state.messages.StoredMessage;
import org.ringchat.topology.ring.internal.RingTopology;
import org.ringchat.wire.WireWriter;

class GroupEngineTest {

    private static final GroupEngine.Settings FAST = new GroupEngine.Settings(Duration.ofMillis(300),
            Duration.ofSeconds(2), Duration.ofMillis(200));

    private final VirtualTime time = new VirtualTime();
    private final InMemoryNetwork network = new InMemoryNetwork();
    private final List<Node> nodes = new ArrayList<>();
    @TempDir
    Path dataDirs;

    private final class Node {
        final TestIdentity identity = new TestIdentity();
        final InMemoryStore store = new InMemoryStore();
        final int port = 7000 + nodes.size();
        final Path dataDir = dataDirs.resolve("node" + port);
        MessageLog messages;
        final List<ChatMessage> seen = new CopyOnWriteArrayList<>();
        final List<Long> progress = new CopyOnWriteArrayList<>();
        final List<ChatMessage> withdrawn = new CopyOnWriteArrayList<>();
        GroupEngine engine;

        Node() {
            start();
            nodes.add(this);
        }

        void start() {
            // Opened again at every start, as a node that restarts reads its history back from the files.
            messages = MessageLog.open(dataDir, MessageLog.Settings.DEFAULT, damage -> { });
            engine = new GroupEngine(identity, network.transportFor(identity.peerId(), port), RingTopology::new, store,
                    messages, FAST, time.loop());
            engine.addListener(new GroupChatListener() {
                @Override
                public void messageUpdated(ChatMessage message) {
                    seen.add(message);
                }

                @Override
                public void catchingUp(GroupInfo group, long received, long total) {
                    progress.add(received);
                }

                @Override
                public void messageWithdrawn(ChatMessage message) {
                    withdrawn.add(message);
                }
            });
        }

        PeerId id() {
            return identity.peerId();
        }

        PeerAddress address() {
            return engine.localAddress();
        }

        org.ringchat.state.log.StateLog log(GroupInfo group) {
            org.ringchat.state.log.StateLog log = new org.ringchat.state.log.StateLog(group.id(), identity);
            store.map("ops/" + group.id()).forEach((k, v) -> {
                try {
                    log.add(StateOp.decode(v));
                } catch (org.ringchat.state.log.InvalidOpException e) {
                    throw new AssertionError(e);
                }
            });
            return log;
        }

        void stop() {
            engine.close();
            messages.close();
        }
    }

    @AfterEach
    void closeAll() {
        nodes.forEach(Node::stop);
    }

    private GroupInfo groupOf(Node owner, Node... others) {
        GroupInfo group = owner.engine.createGroup("friends");
        for (Node other : others) {
            group = time.join(owner.engine.invite(group.id(), other.address()));
        }
        GroupInfo expected = group;
        for (Node other : others) {
            time.until(() -> other.engine.groups().stream().anyMatch(g -> g.version() == expected.version()));
        }
        return group;
    }

    private static ChatMessage find(Node node, GroupInfo group, String text) {
        return node.engine.history(group.id()).stream().filter(m -> m.text().equals(text)).findFirst().orElse(null);
    }

    @Test
    void aMessageGoesRoundTheRingAndComesBackConfirmed() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        assertEquals(List.of(a.id(), b.id(), c.id()), group.members().stream().map(m -> m.peerId()).toList());

        ChatMessage sent = time.join(a.engine.send(group.id(), "hello ring"));
        assertEquals(Delivery.Status.ACKNOWLEDGED, sent.delivery().status(), "a member acknowledged");

        time.until(() -> find(a, group, "hello ring").delivery().status() == Delivery.Status.CONFIRMED);
        ChatMessage confirmed = find(a, group, "hello ring");
        assertEquals("confirmed 3/3", confirmed.delivery().describe());
        for (Node n : List.of(b, c)) {
            assertEquals(a.id(), find(n, group, "hello ring").author());
            // The author passes the confirmation on, so every member shows the message confirmed.
            time.until(() -> find(n, group, "hello ring").delivery().status() == Delivery.Status.CONFIRMED);
            assertEquals("confirmed 3/3", find(n, group, "hello ring").delivery().describe());
            assertEquals(1, n.engine.history(group.id()).size(), "shown exactly once");
        }
    }

    @Test
    void aTurnOfMoreThanABatchSignsWholeBatchesAndLeavesTheRestToJoinTheNextTurn() {
        Node a = new Node();
        Node b = new Node();
        GroupInfo group = groupOf(a, b);
        int batch = SignedMessage.MAX_BATCH;
        int leftOver = 44;
        assertTrue(batch + leftOver <= CommitTurn.MAX_TASKS_PER_COMMIT, "the first sends make one turn");
        List<CompletionStage<ChatMessage>> sends = new ArrayList<>();
        for (int i = 0; i < batch + leftOver; i++) {
            sends.add(a.engine.send(group.id(), "first " + i));
        }
        // Runs after the turn of the first ones and before the next one: those left over and these make a batch.
        time.schedule(0, () -> {
            for (int i = 0; i < batch - leftOver; i++) {
                sends.add(a.engine.send(group.id(), "then " + i));
            }
        });
        time.join(sends.get(0));
        time.until(() -> sends.size() == 2 * batch && sends.stream().allMatch(s -> s.toCompletableFuture().isDone()));

        List<StoredMessage> stored = a.messages.after(group.id(), -1, 1000);
        assertEquals(2 * batch, stored.size());
        long signatures = stored.stream().map(m -> ByteBuffer.wrap(SignedMessage.decode(m.message()).signature))
                .distinct().count();
        assertEquals(2, signatures, batch + " and " + batch + ", not " + batch + ", " + leftOver + " and "
                + (batch - leftOver));
    }

    @Test
    void messagesPointToThePreviousOne() {
        Node a = new Node();
        Node b = new Node();
        GroupInfo group = groupOf(a, b);
        ChatMessage first = time.join(a.engine.send(group.id(), "one"));
        time.until(() -> find(b, group, "one") != null);
        ChatMessage second = time.join(b.engine.send(group.id(), "two"));
        assertTrue(first.parents().isEmpty());
        assertEquals(List.of(first.id()), second.parents());
    }

    @Test
    void aDownMemberIsSkippedAndMissingFromTheConfirmation() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        Node d = new Node();
        GroupInfo group = groupOf(a, b, c, d);
        network.takeDown(b.id());

        time.join(a.engine.send(group.id(), "around b"));

        time.until(() -> find(a, group, "around b").delivery().status() == Delivery.Status.CONFIRMED);
        String missingB = "confirmed 3/4, missing " + b.id().shortText();
        assertEquals(missingB, find(a, group, "around b").delivery().describe());
        for (Node n : List.of(c, d)) {
            time.until(() -> find(n, group, "around b") != null
                    && find(n, group, "around b").delivery().status() == Delivery.Status.CONFIRMED);
            assertEquals(missingB, find(n, group, "around b").delivery().describe());
        }
        assertTrue(b.engine.history(group.id()).isEmpty());
    }

    @Test
    void aMemberCountedMissingIsCountedOnceItHoldsTheMessage() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        network.takeDown(c.id());
        time.join(a.engine.send(group.id(), "while c is away"));
        time.until(() -> find(b, group, "while c is away") != null
                && find(b, group, "while c is away").delivery().status() == Delivery.Status.CONFIRMED);
        assertEquals("confirmed 2/3, missing " + c.id().shortText(), find(a, group, "while c is away").delivery().describe());

        network.bringUp(c.id());

        // c catches up, tells a that it holds the message, and a tells the group again
        for (Node n : List.of(a, b, c)) {
            time.until(() -> find(n, group, "while c is away") != null
                    && find(n, group, "while c is away").delivery().describe().equals("confirmed 3/3"));
        }
    }

    @Test
    void anInviteeShowsItsInviterOnlineAsSoonAsItHasJoined() {
        Node a = new Node();
        Node b = new Node();
        GroupInfo group = a.engine.createGroup("friends");
        a.engine.invite(group.id(), b.address());

        time.until(() -> !b.engine.groups().isEmpty());
        assertEquals(Presence.ONLINE, b.engine.presence(a.id()), "the invitation came from it a moment ago");
    }

    @Test
    void aMemberThatNeverGetsAConfirmationByTheSpreadGetsItFromTheMemberItComparesWith() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        network.loseWhen((from, to, type) -> to.equals(c.id()) && type == FrameType.CONFIRMS);

        time.join(a.engine.send(group.id(), "confirmation lost"));

        time.until(() -> find(b, group, "confirmation lost") != null
                && find(b, group, "confirmation lost").delivery().describe().equals("confirmed 3/3"));
        assertEquals(Delivery.Status.RECEIVED, find(c, group, "confirmation lost").delivery().status());
        time.until(() -> find(c, group, "confirmation lost").delivery().describe().equals("confirmed 3/3"));
    }

    /**
     * As a member behind a NAT before its relays are known: the message, its HOLDS after the catch-up that
     * brought it and the confirmation naming it missing are all lost. Once its frames get through, it learns
     * that it is named missing from the member it compares with, tells the author, and every member ends
     * showing the message confirmed by all.
     */
    @Test
    void aMemberNamedMissingWhoseHoldsWasLostIsCountedOnceItsFramesGetThrough() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        network.loseWhen((from, to, type) -> to.equals(c.id()) && (type == FrameType.CHAT || type == FrameType.CONFIRMS)
                || from.equals(c.id()) && (type == FrameType.HOLDS || type == FrameType.CONFIRMS_QUERY));

        time.join(a.engine.send(group.id(), "c unreachable"));

        time.until(() -> find(a, group, "c unreachable").delivery().describe().equals("confirmed 2/3, missing "
                + c.id().shortText()) && find(c, group, "c unreachable") != null);
        network.loseWhen((from, to, type) -> to.equals(c.id()) && (type == FrameType.CHAT || type == FrameType.CONFIRMS));
        for (Node n : List.of(a, b, c)) {
            time.until(() -> find(n, group, "c unreachable").delivery().describe().equals("confirmed 3/3"));
        }
    }

    @Test
    void aLostAcknowledgementLeadsToTheNextMemberAndNoDuplicate() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        // b receives the message but its acknowledgement to a is lost: a times out and hands it to c.
        network.loseWhen((from, to, type) -> from.equals(b.id()) && to.equals(a.id()) && type == FrameType.ACKS);

        time.join(a.engine.send(group.id(), "ack lost"));

        time.until(() -> find(a, group, "ack lost").delivery().status() == Delivery.Status.CONFIRMED);
        for (Node n : List.of(b, c)) {
            assertEquals(1, n.engine.history(group.id()).stream().filter(m -> m.text().equals("ack lost")).count());
            assertEquals(1, n.seen.stream().filter(m -> m.text().equals("ack lost")
                    && m.delivery().status() == Delivery.Status.RECEIVED).count(), "listener told of its arrival once");
        }
    }

    @Test
    void aSenderWithNobodyReachableRetriesUntilSomeoneIsBack() {
        Node a = new Node();
        Node b = new Node();
        GroupInfo group = groupOf(a, b);
        network.takeDown(b.id());
        var sent = a.engine.send(group.id(), "later").toCompletableFuture();
        assertEquals(Delivery.Status.PENDING, find(a, group, "later").delivery().status());

        network.bringUp(b.id());

        time.join(sent);
        time.until(() -> find(a, group, "later").delivery().status() == Delivery.Status.CONFIRMED);
        assertTrue(find(b, group, "later") != null);
    }

    @Test
    void newTimingAppliesWhileTheNodeRuns() {
        Node a = new Node();
        Node b = new Node();
        GroupInfo group = groupOf(a, b);
        a.engine.update(new GroupEngine.Settings(Duration.ofMillis(FAST.ackTimeouts().maxMillis()), FAST.inviteTimeout(), Duration.ofSeconds(60)));
        network.takeDown(b.id());
        a.engine.send(group.id(), "slow retry");
        long sentAt = time.nowMillis();
        time.advance(1_000);
        network.bringUp(b.id());

        time.advance(30_000);
        assertEquals(Delivery.Status.PENDING, find(a, group, "slow retry").delivery().status(),
                "not offered again before the new retry interval");
        time.until(() -> find(a, group, "slow retry").delivery().status() != Delivery.Status.PENDING);
        assertTrue(time.nowMillis() - sentAt >= 60_000, "offered again after " + (time.nowMillis() - sentAt) + " ms");
    }

    @Test
    void historyAndGroupsSurviveARestart() {
        Node a = new Node();
        Node b = new Node();
        GroupInfo group = groupOf(a, b);
        time.join(a.engine.send(group.id(), "kept"));
        time.until(() -> find(a, group, "kept").delivery().status() == Delivery.Status.CONFIRMED);

        b.stop();
        b.start();

        assertEquals(List.of(group.id()), b.engine.groups().stream().map(GroupInfo::id).toList());
        assertEquals("kept", b.engine.history(group.id()).get(0).text());
        time.join(b.engine.send(group.id(), "after restart"));
        time.until(() -> find(a, group, "after restart") != null);
    }

    @Test
    void aPageOfTheLatestMessagesIsTheEndOfTheWholeHistory() {
        Node a = new Node();
        Node b = new Node();
        GroupInfo group = groupOf(a, b);
        sendAndWaitUntilConfirmed(a, group, 5);
        List<ChatMessage> all = b.engine.history(group.id());
        assertEquals(5, b.engine.historySize(group.id()));
        assertEquals(all.subList(3, 5), b.engine.latestHistory(group.id(), 2));
        assertEquals(all, b.engine.latestHistory(group.id(), 50));
    }

    /** A data directory of an earlier release: messages as whole records (format 5) in the store's map. */
    @Test
    void messagesOfAnEarlierReleaseMoveIntoTheLogOnceOnTheFirstStart() throws IOException {
        Node a = new Node();
        Node b = new Node();
        GroupInfo group = groupOf(a, b);
        sendAndWaitUntilConfirmed(a, group, 3);
        List<String> historyBefore = texts(b, group);
        b.stop();
        StateStore.StoreMap legacy = b.store.map(LegacyMessages.mapName(group.id()));
        try (MessageLog log = MessageLog.open(b.dataDir, MessageLog.Settings.DEFAULT, damage -> { })) {
            for (StoredMessage m : log.latest(group.id(), 10)) {
                // format 5: the format byte, the message, then its status as a status record holds it after its own format byte
                byte[] status = Arrays.copyOfRange(m.status(), 1, m.status().length);
                legacy.put(String.format("%016x", m.sequence()), new WireWriter().u8(5).bytes(m.message()).bytes(status)
                        .toByteArray());
            }
        }
        deleteRecursively(b.dataDir.resolve(MessageLog.DIRECTORY));

        b.start();
        assertEquals(historyBefore, texts(b, group), "the same messages in the same order");
        assertTrue(b.engine.history(group.id()).stream().allMatch(m -> m.delivery().status() == Delivery.Status.CONFIRMED),
                "with their delivery statuses");
        assertEquals(0, legacy.size(), "moved out of the store");
        assertEquals(3, b.messages.nextSequence(group.id()));

        b.stop();
        b.start();
        assertEquals(historyBefore, texts(b, group));
        assertEquals(3, b.messages.nextSequence(group.id()), "moved once");
    }

    /**
     * A node upgraded from a release before IDs were bound keeps messages with random IDs (PROTOCOL.md,
     * "Messages"): a new member takes them by catch-up, but no message under a bound ID that is not its own,
     * and none with a random ID by broadcast.
     */
    @Test
    void aMessageFromBeforeIdsWereBoundComesToANewMemberByCatchUpButNeverByBroadcastNorUnderABoundId() {
        Node b = new Node();
        Node a = new Node();
        GroupInfo group = groupOf(b, a);
        List<OpHash> state = List.copyOf(b.log(group).heads());
        Instant before = Instant.ofEpochMilli(time.nowMillis());
        SignedMessage old = MessageIdTest.legacy(b.identity, group.id(), List.of(), state, before, "from before the upgrade");
        SignedMessage real = message(group, a, List.of(), state, "the real one");
        // b also kept one of its own under the ID of a's message, as if it were from before.
        SignedMessage squat = SignedMessage.signBatch(b.identity, List.of(new SignedMessage.Draft(group.id(), real.id,
                List.of(), before, state, "squatted"))).get(0);
        b.stop();
        StateStore.StoreMap legacy = b.store.map(LegacyMessages.mapName(group.id()));
        List<SignedMessage> stored = List.of(old, squat);
        for (int i = 0; i < stored.size(); i++) {
            legacy.put(String.format("%016x", i), new WireWriter().u8(5).bytes(stored.get(i).encode())
                    .u8(Delivery.Status.CONFIRMED.ordinal()).u16(2).u16(2).u16(0).toByteArray());
        }
        b.start();
        assertTrue(texts(b, group).contains("from before the upgrade"), "its own store is not checked again");

        Node c = new Node();
        time.join(b.engine.invite(group.id(), c.address()));
        time.until(() -> find(c, group, "from before the upgrade") != null);
        network.inject(a.id(), c.id(), FrameType.CHAT, chatFrame(real));
        SignedMessage unboundLive = MessageIdTest.legacy(a.identity, group.id(), List.of(), state,
                Instant.ofEpochMilli(time.nowMillis()), "sent live under a random ID");
        network.inject(a.id(), c.id(), FrameType.CHAT, chatFrame(unboundLive));
        time.join(a.engine.send(group.id(), "marker"));
        time.until(() -> find(c, group, "marker") != null && find(c, group, "the real one") != null);

        assertEquals(java.util.Set.of("from before the upgrade", "the real one", "marker"),
                java.util.Set.copyOf(texts(c, group)));
        assertEquals(real.id, find(c, group, "the real one").id());
    }

    @Test
    void aDamagedMessageInTheLogIsFetchedAgainFromTheMembers() throws IOException {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        List<String> history = fiveMessagesAndStop(group, a, b);
        damageTheBodyOfMessage2(b);

        b.start();
        assertEquals(1, b.messages.damaged().size(), "found when the log opened");
        time.until(() -> texts(b, group).equals(history));
        assertEquals(List.of(), b.messages.damaged(), "settled by the message fetched again");
    }

    @Test
    void aMessageFoundDamagedWhileTheNodeRunsIsNeverShownDamagedAndIsFetchedAgainAtOnce() throws IOException {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        List<String> history = fiveMessagesAndStop(group, a, b);
        b.start(); // its bodies are read from the log from now on, none from memory
        time.until(() -> texts(b, group).equals(history));
        damageTheBodyOfMessage2(b);

        assertEquals(history.stream().filter(text -> !text.equals("message 2")).toList(), texts(b, group),
                "the damaged message is left out, never shown as it was read");
        assertEquals(1, b.messages.damaged().size(), "reported by the log");
        time.advance(FAST.antiEntropyInterval().toMillis() / 10); // at once: without the refetch it is still missing then
        assertEquals(history, texts(b, group), "fetched again from a member");
        assertEquals(List.of(), b.messages.damaged(), "settled by the message fetched again");
    }

    @Test
    void aMessageFoundDamagedWhileACatchUpIsUnderWayIsFetchedAgainAfterIt() throws IOException {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        List<String> history = fiveMessagesAndStop(group, a, b);
        b.start(); // it catches up from its successor, as every start does
        damageTheBodyOfMessage2(b);

        assertEquals(4, texts(b, group).size(), "the damaged message is left out");
        time.advance(FAST.antiEntropyInterval().toMillis() / 2); // before the first round of anti-entropy
        assertEquals(history, texts(b, group), "fetched again after the catch-up under way");
    }

    @Test
    void aTornTailIsCutAndItsMessagesFetchedAgain() throws IOException {
        Node a = new Node();
        Node b = new Node();
        GroupInfo group = groupOf(a, b);
        List<String> history = fiveMessagesAndStop(group, a, b);
        byte[] bytes = Files.readAllBytes(lastSegment(b));
        // Killed in the middle of writing the last message: it and all after it are cut.
        Files.write(lastSegment(b), Arrays.copyOf(bytes, indexOf(bytes, "message 5")));

        b.start();
        assertEquals(1, b.messages.lostAtTail().size());
        time.until(() -> texts(b, group).equals(history));
    }

    @Test
    void anEmptiedSegmentIsStartedAgainAndTheHistoryFetchedFromTheMembers() throws IOException {
        Node a = new Node();
        Node b = new Node();
        GroupInfo group = groupOf(a, b);
        List<String> history = fiveMessagesAndStop(group, a, b);
        Files.write(lastSegment(b), new byte[0]);

        b.start();
        time.until(() -> texts(b, group).equals(history));
    }

    private static void damageTheBodyOfMessage2(Node node) throws IOException {
        Path segment = lastSegment(node);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[indexOf(bytes, "message 2") + 3] ^= 0x20; // "mesSage 2": the record's body no longer matches its checksum
        Files.write(segment, bytes);
    }

    /** Sends five messages, waits until every node holds them confirmed, and stops a node: what it held. */
    private List<String> fiveMessagesAndStop(GroupInfo group, Node sender, Node stopped) {
        sendAndWaitUntilConfirmed(sender, group, 5);
        List<String> history = texts(stopped, group);
        stopped.stop();
        return history;
    }

    /** Sends "message 1" to "message N" and waits until every node holds them, confirmed. */
    private void sendAndWaitUntilConfirmed(Node from, GroupInfo group, int count) {
        for (int i = 1; i <= count; i++) {
            time.join(from.engine.send(group.id(), "message " + i));
        }
        time.until(() -> nodes.stream().allMatch(n -> n.engine.history(group.id()).size() == count
                && n.engine.history(group.id()).stream().allMatch(m -> m.delivery().status() == Delivery.Status.CONFIRMED)));
    }

    private static Path lastSegment(Node node) throws IOException {
        try (Stream<Path> files = Files.list(node.dataDir.resolve(MessageLog.DIRECTORY))) {
            return files.filter(f -> f.toString().endsWith(".seg")).sorted().reduce((first, second) -> second).orElseThrow();
        }
    }

    private static int indexOf(byte[] bytes, String text) {
        byte[] wanted = text.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at + wanted.length <= bytes.length; at++) {
            if (Arrays.equals(bytes, at, at + wanted.length, wanted, 0, wanted.length)) {
                return at;
            }
        }
        throw new AssertionError("'" + text + "' is not in the segment");
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    void forgedAndForeignMessagesAreRejected() {
        Node a = new Node();
        Node b = new Node();
        Node outsider = new Node();
        GroupInfo group = groupOf(a, b);
        ChatMessage real = time.join(a.engine.send(group.id(), "genuine"));
        time.until(() -> find(b, group, "genuine") != null);

        // A member tampers with the text of a signed message: the signature no longer matches.
        SignedMessage forged = SignedMessage.create(b.identity, group.id(), List.of(), java.time.Instant.ofEpochMilli(time.nowMillis()), List.of(), "original");
        byte[] body = chatFrame(forged);
        byte[] tampered = body.clone();
        int textAt = indexOf(tampered, "original".getBytes());
        tampered[textAt] = 'X';
        network.inject(b.id(), a.id(), FrameType.CHAT, tampered);
        // A non-member relays a message signed by itself.
        SignedMessage foreign = SignedMessage.create(outsider.identity, group.id(), List.of(), java.time.Instant.ofEpochMilli(time.nowMillis()), List.of(), "let me in");
        network.inject(outsider.id(), a.id(), FrameType.CHAT, chatFrame(foreign));
        // Garbage.
        network.inject(b.id(), a.id(), FrameType.CHAT, new byte[] {1, 2, 3});

        // A frame sent after the bad ones is handled, so the bad ones have been too.
        time.join(b.engine.send(group.id(), "still fine"));
        time.until(() -> find(a, group, "still fine") != null);
        assertEquals(List.of("genuine", "still fine"), a.engine.history(group.id()).stream().map(ChatMessage::text).toList());
        assertEquals(real.id(), a.engine.history(group.id()).get(0).id());
    }

    @Test
    void aMemberCannotClaimAnotherMembersMessageIdFirst() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        List<org.ringchat.state.log.OpHash> state = List.copyOf(a.log(group).heads());
        java.time.Instant now = java.time.Instant.ofEpochMilli(time.nowMillis());
        SignedMessage real = SignedMessage.create(c.identity, group.id(), List.of(), now, state, "the real one");
        // b got c's message first and sends its own under that ID ahead of it, then passes the real one on.
        SignedMessage squat = SignedMessage.signBatch(b.identity, List.of(new SignedMessage.Draft(group.id(), real.id,
                List.of(), now, state, "squatted"))).get(0);
        network.inject(b.id(), a.id(), FrameType.CHAT, chatFrame(squat));
        network.inject(b.id(), a.id(), FrameType.CHAT, chatFrame(real));

        time.join(b.engine.send(group.id(), "marker"));
        time.until(() -> find(a, group, "marker") != null);
        assertEquals(java.util.Set.of("the real one", "marker"), java.util.Set.copyOf(texts(a, group)));
        assertEquals(real.id, find(a, group, "the real one").id());
    }

    @Test
    void onlyOwnersInviteAndStateChangesFromNonOwnersAreRejected() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b);
        RingchatException e = assertThrows(RingchatException.class, () -> b.engine.invite(group.id(), c.address()));
        assertTrue(e.getMessage().contains("only an owner"), e.getMessage());
        assertThrows(RingchatException.class, () -> b.engine.rename(group.id(), "hijacked"));

        // b signs a rename anyway and sends it: a's state log refuses a change by a non-owner.
        StateOp hijack = StateOp.sign(b.identity, group.id(), a.log(group).heads(), 0, new Change.Rename("hijacked"));
        network.inject(b.id(), a.id(), FrameType.STATE, new OpsCodec.GroupOps(group.id(), List.of(hijack)).encode());
        time.join(a.engine.send(group.id(), "sync"));
        assertEquals("friends", a.engine.findGroup(group.id().toString().substring(0, 8)).name());
    }

    @Test
    void aLostInvitationIsSentOnceMoreAndTheInviteeJoins() {
        Node a = new Node();
        Node b = new Node();
        AtomicInteger invites = new AtomicInteger();
        network.loseWhen((from, to, type) -> type == FrameType.INVITE && invites.incrementAndGet() == 1);
        GroupInfo group = a.engine.createGroup("patient");
        GroupInfo joined = time.join(a.engine.invite(group.id(), b.address()));
        assertEquals(2, invites.get(), "the invitation went twice");
        assertEquals(2, joined.members().size());
        time.until(() -> b.engine.groups().size() == 1);
    }

    @Test
    void anInvitationToAnUnreachablePeerFailsClearly() {
        Node a = new Node();
        Node b = new Node();
        network.takeDown(b.id());
        GroupInfo group = a.engine.createGroup("lonely");
        CompletionException e = assertThrows(CompletionException.class,
                () -> time.join(a.engine.invite(group.id(), b.address())));
        assertTrue(e.getCause().getMessage().startsWith("cannot reach " + b.address()), e.getCause().getMessage());
        assertEquals(1, a.engine.findGroup("lonely").members().size());
    }

    @Test
    void groupsAreFoundByNameOrIdPrefix() {
        Node a = new Node();
        GroupInfo one = a.engine.createGroup("one");
        a.engine.createGroup("two");
        assertEquals(one.id(), a.engine.findGroup("one").id());
        assertEquals(one.id(), a.engine.findGroup(one.id().toString().substring(0, 10)).id());
        assertThrows(RingchatException.class, () -> a.engine.findGroup("three"));
        assertThrows(RingchatException.class, () -> a.engine.createGroup("  "));
        assertThrows(RingchatException.class, () -> a.engine.send(one.id(), ""));
    }

    @Test
    void aMessageOfAJustInvitedMemberIsHeldUntilTheStateArrives() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b);
        // b misses the change that adds c, so c's first message reaches b from an unknown author: b holds
        // it, catches up on the state from the member that passed the message on, and then shows it.
        network.loseWhen((from, to, type) -> to.equals(b.id()) && type == FrameType.STATE);
        time.join(a.engine.invite(group.id(), c.address()));
        time.join(c.engine.send(group.id(), "hi from c"));
        time.until(() -> find(b, group, "hi from c") != null);
        assertEquals(3, b.engine.findGroup("friends").members().size());
    }

    @Test
    void ownersRemoveMembersAndMembersLeave() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);

        GroupInfo withoutC = a.engine.remove(group.id(), c.id());
        assertEquals(2, withoutC.members().size());
        time.until(() -> c.engine.groups().isEmpty());
        time.until(() -> b.engine.findGroup("friends").members().size() == 2);

        b.engine.leave(group.id());
        assertTrue(b.engine.groups().isEmpty());
        time.until(() -> a.engine.findGroup("friends").members().size() == 1);

        time.join(a.engine.send(group.id(), "alone"));
        assertEquals("confirmed 1/1", find(a, group, "alone").delivery().describe());
    }

    @Test
    void aMemberThatSaysGoodbyeAndLeavesKeepsItsGoodbyeShownEverywhere() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        time.join(c.engine.send(group.id(), "bye all"));
        time.until(() -> find(a, group, "bye all") != null && find(b, group, "bye all") != null);

        c.engine.leave(group.id());
        time.until(() -> a.engine.findGroup("friends").members().size() == 2
                && b.engine.findGroup("friends").members().size() == 2);
        time.join(b.engine.send(group.id(), "marker"));
        time.until(() -> find(a, group, "marker") != null);

        assertEquals(List.of("bye all", "marker"), texts(a, group), "its leaving names it as its last message");
        assertEquals(texts(a, group), texts(b, group));
        assertTrue(a.withdrawn.isEmpty() && b.withdrawn.isEmpty());
    }

    @Test
    void theLastOwnerLeavingPassesOwnershipOn() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        a.engine.leave(group.id());
        time.until(() -> b.engine.findGroup("friends").members().size() == 2);
        assertTrue(b.engine.findGroup("friends").isOwner(b.id()), "the member who joined first becomes owner");
        GroupInfo renamed = b.engine.rename(group.id(), "new friends");
        assertEquals("new friends", renamed.name());
        time.until(() -> c.engine.findGroup("new friends") != null);
    }

    @Test
    void ownershipAndStateSurviveARestart() {
        Node a = new Node();
        Node b = new Node();
        GroupInfo group = groupOf(a, b);
        a.engine.setOwner(group.id(), b.id(), true);
        time.until(() -> b.engine.findGroup("friends").isOwner(b.id()));
        b.stop();
        b.start();
        GroupInfo reloaded = b.engine.findGroup("friends");
        assertTrue(reloaded.isOwner(b.id()));
        assertEquals(group.id(), reloaded.id());
        Node c = new Node();
        time.join(b.engine.invite(group.id(), c.address()));
        time.until(() -> a.engine.findGroup("friends").members().size() == 3);
    }

    @Test
    void aMemberThatWasOfflineCatchesUpOnEverythingInTheSameOrder() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        time.join(a.engine.send(group.id(), "before"));
        time.until(() -> find(c, group, "before") != null);

        c.stop();
        network.takeDown(c.id());
        for (int i = 0; i < 300; i++) {
            (i % 2 == 0 ? a : b).engine.send(group.id(), "missed " + i);
        }
        time.until(() -> a.engine.history(group.id()).size() == 301 && b.engine.history(group.id()).size() == 301);

        network.bringUp(c.id());
        c.start();

        time.until(() -> c.engine.history(group.id()).size() == 301);
        List<String> order = texts(a, group);
        assertEquals(order, texts(b, group));
        assertEquals(order, texts(c, group), "the same order everywhere");
        assertTrue(c.progress.stream().anyMatch(p -> p == 300L), "progress reported up to 300: " + c.progress);
    }

    @Test
    void concurrentSendersEndWithTheSameOrderEverywhere() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        for (int i = 0; i < 60; i++) {
            nodes.get(i % 3).engine.send(group.id(), "m" + i);
        }
        for (Node n : List.of(a, b, c)) {
            time.until(() -> n.engine.history(group.id()).size() == 60);
        }
        assertEquals(texts(a, group), texts(b, group));
        assertEquals(texts(a, group), texts(c, group));
        for (Node n : List.of(a, b, c)) {
            List<ChatMessage> history = n.engine.history(group.id());
            List<org.ringchat.api.MessageId> seen = new ArrayList<>();
            for (ChatMessage m : history) {
                assertTrue(seen.containsAll(m.parents()), "every message after its parents");
                seen.add(m.id());
            }
        }
    }

    @Test
    void aCleanShutdownTellsTheNeighboursWhoThenPassMessagesAroundIt() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        Node d = new Node();
        GroupInfo group = groupOf(a, b, c, d);
        List<PeerId> chatsToB = new CopyOnWriteArrayList<>();
        network.loseWhen((from, to, type) -> {
            if (to.equals(b.id()) && type == FrameType.CHAT) {
                chatsToB.add(from);
            }
            return false;
        });

        b.stop();

        time.until(() -> a.engine.presence(b.id()) == Presence.OFFLINE && c.engine.presence(b.id()) == Presence.OFFLINE);
        time.join(a.engine.send(group.id(), "b is away"));
        time.until(() -> find(a, group, "b is away").delivery().status() == Delivery.Status.CONFIRMED);
        assertEquals(List.of(), chatsToB, "nobody tried the member that said it went offline");
        assertEquals("confirmed 3/4, missing " + b.id().shortText(), find(a, group, "b is away").delivery().describe());

        b.start();
        time.until(() -> a.engine.presence(b.id()) == Presence.ONLINE);
    }

    @Test
    void onlyMembersOfTheNodesGroupsHaveAPresence() {
        Node a = new Node();
        Node b = new Node();
        GroupInfo group = groupOf(a, b);
        List<Node> strangers = List.of(new Node(), new Node());
        network.inject(strangers.get(0).id(), a.id(), FrameType.PRESENCE, new byte[] {0});
        network.inject(strangers.get(1).id(), a.id(), FrameType.PROBE, ProbeFrames.nonce(1));

        time.join(a.engine.send(group.id(), "marker"));
        for (Node stranger : strangers) {
            assertEquals(Presence.UNKNOWN, a.engine.presence(stranger.id()), "nothing kept of a stranger");
        }
        assertEquals(Presence.ONLINE, a.engine.presence(b.id()), "the member that acknowledged the marker");
    }

    @Test
    void listenersHearWhenAMemberGoesOfflineAndComesBack() {
        Node a = new Node();
        Node b = new Node();
        groupOf(a, b);
        List<Presence> heard = new CopyOnWriteArrayList<>();
        a.engine.addListener(new GroupChatListener() {
            @Override
            public void presenceChanged(PeerId member, Presence presence) {
                if (member.equals(b.id())) {
                    heard.add(presence);
                }
            }
        });
        time.until(() -> a.engine.presence(b.id()) == Presence.ONLINE);

        b.stop();
        time.until(() -> heard.contains(Presence.OFFLINE));
        b.start();
        time.until(() -> heard.size() >= 2);

        assertEquals(List.of(Presence.OFFLINE, Presence.ONLINE), heard);
    }

    @Test
    void aCrashedMemberIsMarkedOfflineOnceItCannotBeReached() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        assertEquals(Presence.ONLINE, a.engine.presence(b.id()));
        network.takeDown(b.id());
        time.join(a.engine.send(group.id(), "is b there?"));
        // The failed hand-off makes a probe b, and ask c to probe it, before it takes b for down.
        time.until(() -> a.engine.presence(b.id()) == Presence.OFFLINE);
        assertEquals(Presence.ONLINE, a.engine.presence(a.id()));
    }

    @Test
    void aJoinRequestToAMemberReachesTheOwnerWhoLetsTheRequesterIn() {
        Node a = new Node();
        Node b = new Node();
        Node stranger = new Node();
        GroupInfo group = groupOf(a, b);

        time.join(stranger.engine.requestJoin(b.address(), group.id()));
        time.until(() -> a.engine.joinRequests().size() == 1);
        JoinRequest request = a.engine.joinRequests().get(0);
        assertEquals(stranger.address(), request.requester());
        assertEquals(b.id(), request.via());
        assertEquals(List.of(), b.engine.joinRequests(), "only owners decide");

        GroupInfo joined = time.join(a.engine.acceptJoin(group.id(), stranger.id()));
        assertTrue(joined.isMember(stranger.id()));
        assertEquals(List.of(), a.engine.joinRequests());
        time.until(() -> !stranger.engine.groups().isEmpty());
        time.join(stranger.engine.send(group.id(), "thanks"));
        time.until(() -> find(b, group, "thanks") != null);
    }

    @Test
    void aDeclinedRequesterIsToldAndANonMemberSaysSo() {
        Node a = new Node();
        Node stranger = new Node();
        Node other = new Node();
        GroupInfo group = a.engine.createGroup("closed");
        List<GroupId> declined = new CopyOnWriteArrayList<>();
        stranger.engine.addListener(new GroupChatListener() {
            @Override
            public void joinDeclined(GroupId g, PeerId owner) {
                declined.add(g);
            }
        });
        time.join(stranger.engine.requestJoin(a.address(), group.id()));
        time.until(() -> a.engine.joinRequests().size() == 1);
        a.engine.rejectJoin(group.id(), stranger.id());
        time.until(() -> declined.equals(List.of(group.id())));
        assertEquals(List.of(), a.engine.joinRequests());

        CompletionException e = assertThrows(CompletionException.class,
                () -> time.join(stranger.engine.requestJoin(other.address(), group.id())));
        assertTrue(e.getCause().getMessage().contains("is not a member of group"), e.getCause().getMessage());
    }

    @Test
    void waitingJoinRequestsSurviveARestartOfTheOwner() {
        Node a = new Node();
        Node stranger = new Node();
        GroupInfo group = a.engine.createGroup("kept");
        time.join(stranger.engine.requestJoin(a.address(), group.id()));
        time.until(() -> a.engine.joinRequests().size() == 1);
        a.stop();
        a.start();
        assertEquals(stranger.address(), a.engine.joinRequests().get(0).requester());
    }

    @Test
    void aMessageIsJudgedByTheStateItNamesAndARemovedAuthorsOnesAreNotShown() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        List<OpHash> whileCWasMember = List.copyOf(a.log(group).heads());
        a.engine.remove(group.id(), c.id());
        time.until(() -> b.engine.findGroup("friends").members().size() == 2);
        List<OpHash> afterRemoval = List.copyOf(a.log(group).heads());

        // Naming the state from before its removal, and passed on by a member: stored aside, never shown.
        SignedMessage namingOldState = message(group, c, List.of(), whileCWasMember, "as if nothing happened");
        network.inject(b.id(), a.id(), FrameType.CHAT, chatFrame(namingOldState));
        network.inject(a.id(), b.id(), FrameType.CHAT, chatFrame(namingOldState));
        // Naming the state that removed it: rejected.
        SignedMessage namingNewState = message(group, c, List.of(), afterRemoval, "sent after my removal");
        network.inject(b.id(), a.id(), FrameType.CHAT, chatFrame(namingNewState));

        time.join(b.engine.send(group.id(), "marker"));
        time.until(() -> find(a, group, "marker") != null);
        assertEquals(List.of("marker"), texts(a, group));
        assertEquals(List.of("marker"), texts(b, group));
    }

    @Test
    void aRemovedMembersMessageThatAMemberTookBeforeItHeardOfTheRemovalShowsEverywhereAlike() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        Node d = new Node();
        GroupInfo group = groupOf(a, b, c, d);
        List<OpHash> whileCWasMember = List.copyOf(a.log(group).heads());
        a.engine.remove(group.id(), c.id());
        time.until(() -> b.engine.findGroup("friends").members().size() == 3
                && d.engine.findGroup("friends").members().size() == 3);

        // c wrote before it heard of its removal; b, which had not heard of it either, answered.
        SignedMessage concurrent = message(group, c, List.of(), whileCWasMember, "written before I knew");
        SignedMessage answer = message(group, b, List.of(concurrent.id), whileCWasMember, "answered before I knew");
        // Any order of arrival.
        network.inject(b.id(), a.id(), FrameType.CHAT, chatFrame(concurrent));
        network.inject(b.id(), a.id(), FrameType.CHAT, chatFrame(answer));
        network.inject(b.id(), d.id(), FrameType.CHAT, chatFrame(answer));
        network.inject(b.id(), d.id(), FrameType.CHAT, chatFrame(concurrent));

        time.until(() -> texts(a, group).size() == 2 && texts(d, group).size() == 2);
        assertEquals(List.of("written before I knew", "answered before I knew"), texts(a, group));
        assertEquals(texts(a, group), texts(d, group));
    }

    @Test
    void aMemberThatShowedARemovedMembersMessageBeforeItHeardOfTheRemovalWithdrawsItAndShowsWhatTheOthersShow() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        Node d = new Node();
        GroupInfo group = groupOf(a, b, c, d);
        List<OpHash> whileCWasMember = List.copyOf(a.log(group).heads());
        // d hears of c's removal late; a and b at once.
        network.loseWhen((from, to, type) -> to.equals(d.id())
                && (type == FrameType.STATE || type == FrameType.SYNC_BATCH));
        a.engine.remove(group.id(), c.id());
        time.until(() -> b.engine.findGroup("friends").members().size() == 3);
        SignedMessage concurrent = message(group, c, List.of(), whileCWasMember, "written before I knew");
        network.inject(b.id(), d.id(), FrameType.CHAT, chatFrame(concurrent));
        time.until(() -> find(d, group, "written before I knew") != null);
        assertEquals(4, d.engine.findGroup("friends").members().size(), "d took it before it heard of the removal");

        network.loseWhen((from, to, type) -> false);
        time.until(() -> d.engine.findGroup("friends").members().size() == 3);
        assertEquals(List.of(concurrent.id), d.withdrawn.stream().map(ChatMessage::id).toList());
        time.join(d.engine.send(group.id(), "marker"));
        time.until(() -> find(a, group, "marker") != null && find(b, group, "marker") != null);
        assertEquals(List.of("marker"), texts(a, group));
        assertEquals(texts(a, group), texts(b, group));
        assertEquals(texts(a, group), texts(d, group));
        assertEquals(1, d.engine.historySize(group.id()));
        assertTrue(find(d, group, "marker").parents().isEmpty(), "a withdrawn message is not cited");

        d.stop();
        d.start();
        assertEquals(List.of("marker"), texts(d, group), "withdrawn also after a restart");

        // b, had it not heard of the removal, could have answered c: then c's message shows again, everywhere.
        SignedMessage answer = message(group, b, List.of(concurrent.id), whileCWasMember, "answered before I knew");
        network.inject(b.id(), d.id(), FrameType.CHAT, chatFrame(answer));
        time.until(() -> texts(d, group).size() == 3 && texts(a, group).size() == 3);
        assertEquals(java.util.Set.of("written before I knew", "answered before I knew", "marker"),
                java.util.Set.copyOf(texts(d, group)));
        assertEquals(texts(d, group), texts(a, group));
    }

    @Test
    void aMessageThatRewindsItsAuthorsStateIsRejected() {
        Node a = new Node();
        Node b = new Node();
        GroupInfo group = groupOf(a, b);
        List<OpHash> before = List.copyOf(a.log(group).heads());
        a.engine.rename(group.id(), "friends again");
        time.until(() -> b.engine.groups().get(0).name().equals("friends again"));
        List<OpHash> after = List.copyOf(a.log(group).heads());

        SignedMessage first = message(group, b, List.of(), after, "first");
        SignedMessage rewound = message(group, b, List.of(first.id), before, "back in time");
        network.inject(b.id(), a.id(), FrameType.CHAT, chatFrame(first));
        network.inject(b.id(), a.id(), FrameType.CHAT, chatFrame(rewound));

        time.join(b.engine.send(group.id(), "marker"));
        time.until(() -> find(a, group, "marker") != null);
        assertEquals(java.util.Set.of("first", "marker"), java.util.Set.copyOf(texts(a, group)));
    }

    @Test
    void aMemberRemovedWhileItWasDownLearnsItOnItsReturnAndNoneOfItsNewMessagesShows() {
        Node a = new Node();
        Node b = new Node();
        Node c = new Node();
        GroupInfo group = groupOf(a, b, c);
        time.join(c.engine.send(group.id(), "before"));
        time.until(() -> find(a, group, "before") != null && find(b, group, "before") != null);
        c.engine.close();
        a.engine.remove(group.id(), c.id());
        time.until(() -> b.engine.findGroup("friends").members().size() == 2);
        time.join(b.engine.send(group.id(), "without c"));

        c.start();
        List<GroupInfo> removed = new CopyOnWriteArrayList<>();
        c.engine.addListener(new GroupChatListener() {
            @Override
            public void removedFrom(GroupInfo from) {
                removed.add(from);
            }
        });
        java.util.concurrent.CompletionStage<ChatMessage> atOnce = c.engine.send(group.id(), "I am back");
        time.until(() -> !removed.isEmpty());

        assertEquals(2, removed.get(0).members().size());
        CompletionException failed = assertThrows(CompletionException.class, () -> time.join(atOnce));
        assertEquals("this node is no longer a member of 'friends'", failed.getCause().getMessage());
        CompletionException later = assertThrows(CompletionException.class,
                () -> time.join(c.engine.send(group.id(), "and again")));
        assertEquals("this node is no longer a member of 'friends'", later.getCause().getMessage());
        assertTrue(c.engine.groups().isEmpty());
        assertEquals(List.of("before", "I am back"), texts(c, group), "its history stays readable");
        assertEquals(Delivery.Status.PENDING, find(c, group, "I am back").delivery().status(), "and says what never went out");
        assertEquals(group.id(), c.engine.findGroup("friends").id());
        c.engine.close();
        c.start();
        assertTrue(c.engine.groups().isEmpty());
        assertEquals(List.of("before", "I am back"), texts(c, group), "also after a restart");

        time.join(b.engine.send(group.id(), "marker"));
        time.until(() -> find(a, group, "marker") != null);
        // c's message from before its removal, which nobody answered, stays: the removal names it as c's last.
        assertEquals(List.of("before", "without c", "marker"), texts(a, group));
        assertEquals(texts(a, group), texts(b, group));
    }

    /** A message as a peer writes it, crafted: naming any parents and state it likes. */
    private SignedMessage message(GroupInfo group, Node author, List<MessageId> parents, List<OpHash> state,
                                  String text) {
        return SignedMessage.create(author.identity, group.id(), parents, Instant.ofEpochMilli(time.nowMillis()), state,
                text);
    }

    /** A CHAT frame as a member hands a message on by the ring topology, covering the whole ring. */
    private static byte[] chatFrame(SignedMessage message) {
        WireWriter payload = new WireWriter();
        message.write(payload);
        return new BroadcastFrames.Chat(1, 1, new BroadcastFrames.Header(message.group, message.id, "ring", message.author),
                payload.toByteArray()).encode();
    }

    private static List<String> texts(Node node, GroupInfo group) {
        return node.engine.history(group.id()).stream().map(ChatMessage::text).toList();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
