package org.ringchat.group.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Predicate;

import org.ringchat.api.MessageId;
import org.ringchat.wire.IdIndex;
import org.ringchat.api.PeerId;

/**
 * The messages of one group as a graph in which each message points to its parents. Every member that
 * holds the same messages lists them in the same order, a message always after its parents.
 *
 * <p>A message is <em>complete</em> when it and all its ancestors are here. The heads of the complete
 * part say exactly what a member holds, which is what it names when it asks another member for the rest.
 */
final class MessageGraph {

    /** How many ancestors of the latest head {@link #syncPoints} names, at distances doubling up to 2^LANDMARKS. */
    static final int LANDMARKS = 12;
    /** The latest records that {@link #recent} finds: more than a message's confirmation comes after under load. */
    static final int RECENT = 2048;

    /**
     * Among messages whose parents are listed, the earlier (by the author's clock), then the smaller ID
     * (as unsigned bytes, the order of their hex text).
     */
    private static final Comparator<MessageRecord> ORDER = Comparator
            .<MessageRecord>comparingLong(r -> r.sentAtMillis)
            .thenComparing((a, b) -> a.idHigh() != b.idHigh() ? Long.compareUnsigned(a.idHigh(), b.idHigh())
                    : Long.compareUnsigned(a.idLow(), b.idLow()));

    /**
     * Each message's place in {@link #records}, which also carry this graph's state of each message (its height,
     * whether it is complete): a graph of a long history holds a slot and a place per message, no more.
     */
    private final IdIndex places = new IdIndex();
    /**
     * The records in the order they came: a young record stored into this long-lived array marks a card of it for
     * the garbage collector, and filled in order, many records share one card.
     */
    private MessageRecord[] records = new MessageRecord[16];
    private int count;
    /**
     * The latest records again, in a table small enough to stay in the processor's cache: a message is mostly
     * looked up while it is recent (its confirmation, its children's parents), where the table of a long
     * history costs a miss to memory for each lookup.
     */
    private RecentMessages<MessageRecord> recent = new RecentMessages<>(RECENT);
    /** The authors, each ID kept once however many messages it wrote. */
    private final Map<PeerId, PeerId> authors = new HashMap<>();
    /** Messages named as parents that are not here (yet): when one comes, it is no head. */
    private final Set<MessageId> absentParents = new HashSet<>();
    private final Set<MessageId> heads = new HashSet<>();
    private final Set<MessageId> completeHeads = new HashSet<>();
    /** Children that wait for a parent to be complete, by that parent. */
    private final Map<MessageId, List<MessageId>> waiting = new HashMap<>();
    private List<MessageRecord> ordered = List.of();
    private boolean orderedIsCurrent = true;

    boolean contains(MessageId id) {
        return places.contains(id.mostSignificantBits(), id.leastSignificantBits());
    }

    MessageRecord get(MessageId id) {
        MessageRecord recentOne = recent.get(id);
        if (recentOne != null) {
            return recentOne;
        }
        long place = places.get(id.mostSignificantBits(), id.leastSignificantBits());
        return place == IdIndex.NONE ? null : records[(int) place];
    }

    int size() {
        return count;
    }

    void add(MessageRecord record) {
        if (places.putIfAbsent(record.idHigh(), record.idLow(), count) != IdIndex.NONE) {
            return;
        }
        MessageId id = record.id();
        if (count == records.length) {
            records = Arrays.copyOf(records, 2 * count);
        }
        records[count++] = record;
        recent.add(id, record);
        orderedIsCurrent = false;
        for (int i = 0; i < record.parentCount(); i++) {
            MessageId parent = record.parent(i);
            MessageRecord below = get(parent);
            if (below != null) {
                record.height = Math.max(record.height, below.height + 1);
            } else {
                absentParents.add(parent);
            }
            heads.remove(parent);
        }
        record.author = authors.computeIfAbsent(record.author, author -> author);
        if (!absentParents.remove(id)) {
            heads.add(id);
        }
        completeFrom(id);
    }

    /**
     * Takes a message out, as if it had never come (its record in the log was found damaged): it is missing
     * again, and its descendants incomplete, until it comes back. Rare, so the graph is simply built anew.
     */
    void forget(MessageId id) {
        if (!contains(id)) {
            return;
        }
        List<MessageRecord> kept = inOrder(all().stream().filter(r -> !r.is(id)).toList(),
                p -> !p.equals(id) && contains(p));
        places.clear();
        recent = new RecentMessages<>(RECENT);
        Arrays.fill(records, 0, count, null);
        count = 0;
        absentParents.clear();
        heads.clear();
        completeHeads.clear();
        waiting.clear();
        for (MessageRecord record : kept) {
            record.height = 0;
            record.complete = false;
            add(record);
        }
    }

    private void completeFrom(MessageId start) {
        Deque<MessageId> todo = new ArrayDeque<>();
        todo.add(start);
        while (!todo.isEmpty()) {
            MessageId id = todo.poll();
            MessageRecord record = get(id);
            MessageId incompleteParent = firstIncompleteParent(record);
            if (incompleteParent != null) {
                waiting.computeIfAbsent(incompleteParent, p -> new ArrayList<>()).add(id);
                continue;
            }
            record.complete = true;
            completeHeads.add(id);
            for (int i = 0; i < record.parentCount(); i++) {
                completeHeads.remove(record.parent(i));
            }
            List<MessageId> children = waiting.remove(id);
            if (children != null) {
                todo.addAll(children);
            }
        }
    }

    private MessageId firstIncompleteParent(MessageRecord child) {
        for (int i = 0; i < child.parentCount(); i++) {
            MessageId id = child.parent(i);
            MessageRecord record = get(id);
            if (record == null || !record.complete) {
                return id;
            }
        }
        return null;
    }

    /**
     * The parents for a new message by {@code author}: the latest heads, at most {@code max}, among them
     * the author's own latest head, if it has one; a withdrawn head is never cited, its parents are in its
     * place. So an author's messages form a chain by ancestry, which a removal naming its last one relies on.
     */
    List<MessageId> parentsForNewMessage(int max, PeerId author) {
        Set<MessageId> citable = heads.stream().noneMatch(id -> get(id).withdrawn) ? heads : citableHeads();
        List<MessageId> latest = latest(citable, max);
        Optional<MessageRecord> own = citable.stream().map(this::get).filter(r -> r.author.equals(author))
                .max(ORDER);
        if (own.isEmpty() || latest.contains(own.get().id())) {
            return latest;
        }
        List<MessageId> withOwn = new ArrayList<>(latest.subList(0, max - 1));
        withOwn.add(own.get().id());
        return withOwn;
    }

    /** The heads, with a withdrawn one's parents in its place. */
    private Set<MessageId> citableHeads() {
        Set<MessageId> citable = new HashSet<>();
        Deque<MessageId> todo = new ArrayDeque<>(heads);
        while (!todo.isEmpty()) {
            MessageRecord record = get(todo.pop());
            if (record != null && record.withdrawn) {
                todo.addAll(record.parents());
            } else if (record != null) {
                citable.add(record.id());
            }
        }
        return citable;
    }

    /**
     * The latest message here by an author, if any: the one a removal of the author (or its leaving)
     * names, so that its messages up to that one stay shown.
     */
    Optional<MessageId> latestBy(PeerId author) {
        List<MessageRecord> all = ordered();
        for (int i = all.size() - 1; i >= 0; i--) {
            MessageRecord record = all.get(i);
            if (record.author.equals(author) && !record.withdrawn) {
                return Optional.of(record.id());
            }
        }
        return Optional.empty();
    }

    /** The heads of the complete part, at most {@code max} of the latest. */
    List<MessageId> syncHeads(int max) {
        return latest(completeHeads, max);
    }

    /**
     * What this member names when it asks another for what it lacks, at most {@code max}: the heads of its
     * complete part, then ancestors of the latest head 2, 4, 8, … {@code 2^LANDMARKS} first parents down,
     * each held here with all its ancestors as a head is. A member asked that lacks the newest heads (they are
     * still on their way to it) meets this history at the newest of these it holds, and lists the few
     * messages above that instead of all it holds.
     */
    List<MessageId> syncPoints(int max) {
        List<MessageId> points = new ArrayList<>(syncHeads(max - LANDMARKS));
        if (points.isEmpty()) {
            return points;
        }
        MessageRecord below = get(points.get(0));
        for (int step = 1, next = 2; step <= 1 << LANDMARKS && below.parentCount() > 0; step++) {
            // the first parent: one lookup a step, and each step goes down at least one message
            below = get(below.parent(0));
            if (step == next) {
                if (!points.contains(below.id())) {
                    points.add(below.id());
                }
                next *= 2;
            }
        }
        return points;
    }

    private List<MessageId> latest(Set<MessageId> ids, int max) {
        return ids.stream().map(this::get).sorted(ORDER.reversed()).limit(max).map(MessageRecord::id).toList();
    }

    /**
     * Whether a message not held yet would be its own ancestor: it names itself as a parent, or descends from a
     * message here that names it. Authors choose message IDs, so nothing else keeps a member from making a
     * cycle; in one, no message ever comes after its parents, and neither the cycle nor anything written after
     * it would be listed or complete: one malicious member could hide the rest of the group's history.
     */
    boolean wouldBeOwnAncestor(SignedMessage message) {
        if (message.parents.contains(message.id)) {
            return true;
        }
        if (!absentParents.contains(message.id)) {
            return false;
        }
        // A way back to it leads through messages that descend from it; while it is missing they are incomplete.
        Set<MessageId> seen = new HashSet<>();
        Deque<MessageId> todo = new ArrayDeque<>(message.parents);
        while (!todo.isEmpty()) {
            MessageId id = todo.poll();
            MessageRecord record = get(id);
            if (record == null || record.complete || !seen.add(id)) {
                continue;
            }
            if (record.hasParent(message.id)) {
                return true;
            }
            todo.addAll(record.parents());
        }
        return false;
    }

    /** Whether every message here is complete: no ancestor of any of them is missing. */
    boolean isComplete() {
        return waiting.isEmpty();
    }

    /** The messages that messages here wait for to be complete: missing, or with an ancestor missing. */
    Set<MessageId> awaitedParents() {
        return Set.copyOf(waiting.keySet());
    }

    /** Whether messages here still wait for any of these ({@link #awaitedParents}). */
    boolean awaitsAnyOf(Set<MessageId> parents) {
        return parents.stream().anyMatch(waiting::containsKey);
    }

    /** Whether a message's parents are all here (complete or not). */
    boolean hasParentsOf(SignedMessage message) {
        for (MessageId parent : message.parents) {
            if (!contains(parent)) {
                return false;
            }
        }
        return true;
    }

    /** All messages, each after its parents; ties broken the same way on every member. */
    List<MessageRecord> ordered() {
        if (!orderedIsCurrent) {
            ordered = List.copyOf(inOrder(all(), this::contains));
            orderedIsCurrent = true;
        }
        return ordered;
    }

    /** The records in the order they came. */
    private List<MessageRecord> all() {
        return Arrays.asList(records).subList(0, count);
    }

    /** Some of the messages in history order: each after those of its parents that are among them. */
    private static List<MessageRecord> inOrder(Collection<MessageRecord> records, Predicate<MessageId> among) {
        Map<MessageId, Integer> waitingParents = new HashMap<>();
        Map<MessageId, List<MessageRecord>> children = new HashMap<>();
        PriorityQueue<MessageRecord> ready = new PriorityQueue<>(ORDER);
        for (MessageRecord record : records) {
            int present = 0;
            for (MessageId parent : new HashSet<>(record.parents())) {
                if (among.test(parent)) {
                    present++;
                    children.computeIfAbsent(parent, p -> new ArrayList<>()).add(record);
                }
            }
            waitingParents.put(record.id(), present);
            if (present == 0) {
                ready.add(record);
            }
        }
        List<MessageRecord> result = new ArrayList<>(records.size());
        while (!ready.isEmpty()) {
            MessageRecord next = ready.poll();
            result.add(next);
            for (MessageRecord child : children.getOrDefault(next.id(), List.of())) {
                if (waitingParents.merge(child.id(), -1, Integer::sum) == 0) {
                    ready.add(child);
                }
            }
        }
        return result;
    }

    /**
     * The messages that someone holding exactly the ancestors of {@code theirHeads} lacks, in order.
     *
     * <p>Walks down from their heads and from this member's at once, highest first: what is reached from
     * their heads they hold; what is reached only from this member's heads they lack. So the walk stops
     * where the two histories meet instead of going through all of it. A parent that came after its child
     * may lie above it, and may then be listed although they hold it: a duplicate, which is dropped; a
     * message they lack is never left out, since nothing on the way down to it is theirs.
     */
    List<MessageRecord> missingFor(Collection<MessageId> theirHeads) {
        Walk walk = new Walk();
        theirHeads.forEach(id -> walk.reach(id, true));
        heads.forEach(id -> walk.reach(id, false));
        Map<MessageId, MessageRecord> missing = new HashMap<>();
        while (walk.oursOnly > 0) {
            MessageId id = walk.next();
            boolean theirs = walk.theirs.contains(id);
            MessageRecord record = get(id);
            if (!theirs) {
                missing.put(id, record);
            }
            for (int i = 0; i < record.parentCount(); i++) {
                walk.reach(record.parent(i), theirs);
            }
        }
        return inOrder(missing.values(), missing::containsKey);
    }

    /** The state of one {@link #missingFor} walk. */
    private final class Walk {
        final Set<MessageId> theirs = new HashSet<>();
        final Set<MessageId> queued = new HashSet<>();
        final Set<MessageId> taken = new HashSet<>();
        final PriorityQueue<MessageId> todo = new PriorityQueue<>(
                Comparator.<MessageId>comparingInt(id -> get(id).height).reversed());
        /** Messages queued and not taken yet that are not known to be theirs: while there are any, go on. */
        int oursOnly;

        void reach(MessageId id, boolean fromTheirs) {
            if (!contains(id)) {
                return;
            }
            boolean newlyTheirs = fromTheirs && theirs.add(id);
            if (queued.add(id)) {
                todo.add(id);
                if (!theirs.contains(id)) {
                    oursOnly++;
                }
            } else if (newlyTheirs && !taken.contains(id)) {
                oursOnly--;
            }
        }

        MessageId next() {
            MessageId id = todo.poll();
            taken.add(id);
            if (!theirs.contains(id)) {
                oursOnly--;
            }
            return id;
        }
    }
}
