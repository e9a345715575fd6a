package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Deque;
import java.util.ArrayDeque;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;

class MessageGraphTest {

    private static final TestIdentity AUTHOR = new TestIdentity();
    private static final GroupId GROUP = GroupId.random(new SecureRandom());

    private final Random random = new Random(42);
    private long clock = 1_000_000;
    /** The messages whose records are in the graph, which keeps no bodies (they stay in the message log). */
    private final Map<MessageId, SignedMessage> bodies = new HashMap<>();

    private MessageRecord message(String text, MessageRecord... parents) {
        List<MessageId> ids = new ArrayList<>();
        for (MessageRecord p : parents) {
            ids.add(p.id());
        }
        SignedMessage m = SignedMessage.create(AUTHOR, GROUP, ids, Instant.ofEpochMilli(clock++), List.of(), text);
        bodies.put(m.id, m);
        return new MessageRecord(m.group, m, Delivery.Status.RECEIVED, 0, 2);
    }

    private List<String> texts(List<MessageRecord> records) {
        return records.stream().map(r -> bodies.get(r.id()).text()).toList();
    }

    @Test
    void aNewMessageCitesAWithdrawnHeadsParentsInsteadOfIt() {
        MessageRecord root = message("root");
        MessageRecord shown = message("shown", root);
        MessageRecord withdrawn = message("withdrawn", root);
        MessageRecord withdrawnToo = message("withdrawn too", withdrawn);
        MessageGraph graph = new MessageGraph();
        List.of(root, shown, withdrawn, withdrawnToo).forEach(graph::add);
        withdrawn.withdrawn = true;
        withdrawnToo.withdrawn = true;

        assertEquals(Set.of(root.id(), shown.id()), Set.copyOf(graph.parentsForNewMessage(16, AUTHOR.peerId())));
    }

    @Test
    void aNewMessageCitesItsAuthorsOwnLatestHeadAmongMoreHeadsThanItCanCite() {
        MessageRecord own = message("nobody answered this");
        MessageGraph graph = new MessageGraph();
        graph.add(own);
        TestIdentity other = new TestIdentity();
        List<MessageId> later = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SignedMessage m = SignedMessage.create(other, GROUP, List.of(), Instant.ofEpochMilli(clock++), List.of(), "later");
            graph.add(new MessageRecord(m.group, m, Delivery.Status.RECEIVED, 0, 2));
            later.add(0, m.id);
        }

        assertEquals(later.subList(0, 3), graph.parentsForNewMessage(3, other.peerId()), "the latest three");
        assertEquals(List.of(later.get(0), later.get(1), own.id()), graph.parentsForNewMessage(3, AUTHOR.peerId()),
                "its own in place of the oldest: an author's messages form a chain");
    }

    @Test
    void anyArrivalOrderGivesTheSameHistory() {
        MessageRecord root = message("root");
        MessageRecord left = message("left", root);
        MessageRecord right = message("right", root);
        MessageRecord merge = message("merge", left, right);
        MessageRecord tail = message("tail", merge);
        List<MessageRecord> all = new ArrayList<>(List.of(root, left, right, merge, tail));
        List<String> expected = List.of("root", "left", "right", "merge", "tail");
        for (int round = 0; round < 20; round++) {
            Collections.shuffle(all, random);
            MessageGraph graph = new MessageGraph();
            // Records of their own: a record carries the state of its message in one graph.
            all.stream().map(r -> bodies.get(r.id()))
                    .forEach(m -> graph.add(new MessageRecord(m.group, m, Delivery.Status.RECEIVED, 0, 2)));
            assertEquals(expected, texts(graph.ordered()), "arrival order " + texts(all));
            assertEquals(List.of(tail.id()), graph.parentsForNewMessage(16, AUTHOR.peerId()));
            assertEquals(List.of(tail.id()), graph.syncHeads(16));
        }
    }

    @Test
    void syncHeadsNameOnlyWhatIsHeldCompletely() {
        MessageRecord root = message("root");
        MessageRecord second = message("second", root);
        MessageRecord third = message("third", second);
        MessageGraph graph = new MessageGraph();
        graph.add(root);
        graph.add(third);
        assertEquals(List.of(root.id()), graph.syncHeads(16), "third lacks its parent");
        assertEquals(List.of(third.id(), root.id()), graph.parentsForNewMessage(16, AUTHOR.peerId()),
                "a new message follows both: nothing here links them yet");
        assertFalse(graph.hasParentsOf(bodies.get(third.id())));
        assertFalse(graph.isComplete());
        graph.add(second);
        assertEquals(List.of(third.id()), graph.syncHeads(16));
        assertTrue(graph.hasParentsOf(bodies.get(third.id())));
        assertTrue(graph.isComplete());
    }

    @Test
    void everyRecordIsFoundTheLatestAndTheOlderOnes() {
        MessageGraph graph = new MessageGraph();
        List<MessageRecord> added = new ArrayList<>();
        MessageRecord previous = message("0");
        graph.add(previous);
        added.add(previous);
        for (int i = 1; i < MessageGraph.RECENT + 100; i++) {
            previous = message(Integer.toString(i), previous);
            graph.add(previous);
            added.add(previous);
        }
        for (MessageRecord record : added) {
            assertSame(record, graph.get(record.id()));
        }
        assertNull(graph.get(message("not added").id()));
    }

    @Test
    void aForgottenMessageIsMissingAgainUntilItComesBack() {
        MessageRecord root = message("root");
        MessageRecord second = message("second", root);
        MessageRecord third = message("third", second);
        MessageGraph graph = new MessageGraph();
        List.of(root, second, third).forEach(graph::add);
        graph.forget(second.id());
        assertEquals(List.of(root.id()), graph.syncHeads(16), "a catch-up asks for what follows root");
        assertFalse(graph.contains(second.id()));
        assertNull(graph.get(second.id()), "not among the recent ones either");
        assertFalse(graph.isComplete());
        assertEquals(List.of("root", "third"), texts(graph.ordered()));
        graph.add(second);
        assertEquals(List.of(third.id()), graph.syncHeads(16));
        assertTrue(graph.isComplete());
        assertEquals(List.of("root", "second", "third"), texts(graph.ordered()));
    }

    @Test
    void parentsAwaitedNowAreToldApartFromThoseAwaitedLater() {
        MessageRecord root = message("root");
        MessageRecord second = message("second", root);
        MessageRecord third = message("third", second);
        MessageRecord fourth = message("fourth", third);
        MessageGraph graph = new MessageGraph();
        graph.add(root);
        graph.add(third);
        Set<MessageId> awaited = graph.awaitedParents();
        assertEquals(Set.of(second.id()), awaited);

        graph.add(second);
        graph.add(message("fifth", fourth));
        assertFalse(graph.isComplete(), "the fifth waits for the fourth");
        assertFalse(graph.awaitsAnyOf(awaited), "but what was awaited before came");
        assertTrue(graph.awaitsAnyOf(graph.awaitedParents()));
    }

    @Test
    void missingForIsEverythingOutsideTheAskersPast() {
        MessageRecord root = message("root");
        MessageRecord a = message("a", root);
        MessageRecord b = message("b", a);
        MessageRecord c = message("c", b);
        MessageGraph graph = new MessageGraph();
        List.of(root, a, b, c).forEach(graph::add);
        assertEquals(List.of("b", "c"), texts(graph.missingFor(List.of(a.id()))));
        assertEquals(List.of("root", "a", "b", "c"), texts(graph.missingFor(List.of())));
        MessageRecord unknown = message("unknown");
        assertEquals(List.of("root", "a", "b", "c"), texts(graph.missingFor(List.of(unknown.id()))));
        assertEquals(List.of(), texts(graph.missingFor(List.of(c.id()))));
    }

    @Test
    void aMemberAskedThatLacksTheAskersNewestMessagesListsOnlyThoseAboveWhereTheHistoriesMeet() {
        List<MessageRecord> chain = new ArrayList<>();
        chain.add(message("m0"));
        for (int i = 1; i < 1000; i++) {
            chain.add(message("m" + i, chain.get(i - 1)));
        }
        MessageGraph asker = new MessageGraph();
        chain.forEach(asker::add);
        MessageGraph asked = new MessageGraph();
        chain.subList(0, 990).forEach(asked::add); // the last ten are still on their way to it

        List<MessageId> points = asker.syncPoints(Limits.MAX_SYNC_HEADS);
        assertEquals(List.of(chain.get(999).id(), chain.get(997).id(), chain.get(995).id(), chain.get(991).id(),
                chain.get(983).id()), points.subList(0, 5), "the head, then ancestors 2, 4, 8, 16 messages down");
        assertEquals(List.of("m984", "m985", "m986", "m987", "m988", "m989"), texts(asked.missingFor(points)),
                "what lies above m983, the newest point the asked member holds");
        assertEquals(990, asked.missingFor(asker.syncHeads(Limits.MAX_SYNC_HEADS)).size(),
                "the head alone, which the asked member lacks, makes it list everything");
        assertEquals(List.of(), asker.missingFor(points));
    }

    @Test
    void missingForNeverLeavesOutWhatTheAskerLacks() {
        List<MessageRecord> created = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            List<MessageRecord> parents = new ArrayList<>();
            for (int p = 0; p < 1 + random.nextInt(3) && !created.isEmpty(); p++) {
                parents.add(created.get(Math.max(0, created.size() - 1 - random.nextInt(20))));
            }
            created.add(message("m" + i, parents.stream().distinct().toArray(MessageRecord[]::new)));
        }
        for (int round = 0; round < 20; round++) {
            boolean causalOrder = round % 2 == 0;
            List<MessageRecord> arrival = new ArrayList<>(created);
            if (!causalOrder) {
                Collections.shuffle(arrival, random);
            }
            MessageGraph graph = new MessageGraph();
            arrival.forEach(graph::add);
            List<MessageId> theirHeads = new ArrayList<>();
            for (int h = 0; h < 1 + random.nextInt(4); h++) {
                theirHeads.add(created.get(random.nextInt(created.size())).id());
            }
            Set<MessageId> theirs = new HashSet<>();
            Deque<MessageId> todo = new ArrayDeque<>(theirHeads);
            while (!todo.isEmpty()) {
                MessageId id = todo.poll();
                if (theirs.add(id)) {
                    todo.addAll(graph.get(id).parents());
                }
            }
            Set<MessageId> lacking = new HashSet<>();
            created.stream().map(r -> r.id()).filter(id -> !theirs.contains(id)).forEach(lacking::add);

            List<MessageRecord> missing = graph.missingFor(theirHeads);
            Set<MessageId> listed = new HashSet<>();
            for (MessageRecord r : missing) {
                assertTrue(r.parents().stream().noneMatch(p -> !listed.contains(p) && missing.stream()
                        .anyMatch(m -> m.id().equals(p))), "a message before its parents");
                listed.add(r.id());
            }
            assertTrue(listed.containsAll(lacking), "round " + round + ": left out what the asker lacks");
            if (causalOrder) {
                assertEquals(lacking, listed, "round " + round + ": with every parent before its child, exactly that");
            }
        }
    }
}
