package org.ringchat.group.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import org.ringchat.api.MessageId;

/**
 * The messages of one group as a graph in which each message points to its parents. Every member that
 * holds the same messages lists them in the same order, a message always after its parents.
 *
 * <p>A message is <em>complete</em> when it and all its ancestors are here. The heads of the complete
 * part say exactly what a member holds, which is what it names when it asks another member for the rest.
 */
final class MessageGraph {

    /** Among messages whose parents are listed, the earlier (by the author's clock), then the smaller ID. */
    private static final Comparator<MessageRecord> ORDER = Comparator
            .<MessageRecord>comparingLong(r -> r.sentAtMillis)
            .thenComparing(r -> r.id.toString());

    private final Map<MessageId, MessageRecord> byId = new HashMap<>();
    /**
     * One more than the highest of a message's parents that were here when it came (0 without any): a
     * message lies above its parents, which lets {@link #missingFor} stop where two histories meet.
     */
    private final Map<MessageId, Integer> heights = new HashMap<>();
    private final Set<MessageId> hasChild = new HashSet<>();
    private final Set<MessageId> heads = new HashSet<>();
    private final Set<MessageId> complete = new HashSet<>();
    private final Set<MessageId> completeHeads = new HashSet<>();
    /** Children that wait for a parent to be complete, by that parent. */
    private final Map<MessageId, List<MessageId>> waiting = new HashMap<>();
    private List<MessageRecord> ordered = List.of();
    private boolean orderedIsCurrent = true;

    boolean contains(MessageId id) {
        return byId.containsKey(id);
    }

    MessageRecord get(MessageId id) {
        return byId.get(id);
    }

    int size() {
        return byId.size();
    }

    void add(MessageRecord record) {
        MessageId id = record.id;
        if (byId.putIfAbsent(id, record) != null) {
            return;
        }
        orderedIsCurrent = false;
        int height = 0;
        for (MessageId parent : record.parents) {
            Integer below = heights.get(parent);
            if (below != null) {
                height = Math.max(height, below + 1);
            }
        }
        heights.put(id, height);
        if (!hasChild.contains(id)) {
            heads.add(id);
        }
        for (MessageId parent : record.parents) {
            hasChild.add(parent);
            heads.remove(parent);
        }
        completeFrom(id);
    }

    private void completeFrom(MessageId start) {
        Deque<MessageId> todo = new ArrayDeque<>();
        todo.add(start);
        while (!todo.isEmpty()) {
            MessageId id = todo.poll();
            MessageRecord record = byId.get(id);
            MessageId incompleteParent = record.parents.stream()
                    .filter(p -> !complete.contains(p)).findFirst().orElse(null);
            if (incompleteParent != null) {
                waiting.computeIfAbsent(incompleteParent, p -> new ArrayList<>()).add(id);
                continue;
            }
            complete.add(id);
            completeHeads.add(id);
            record.parents.forEach(completeHeads::remove);
            List<MessageId> children = waiting.remove(id);
            if (children != null) {
                todo.addAll(children);
            }
        }
    }

    /** The parents for a new message: the latest heads, at most {@code max}. */
    List<MessageId> parentsForNewMessage(int max) {
        return latest(heads, max);
    }

    /** The heads of the complete part, at most {@code max} of the latest. */
    List<MessageId> syncHeads(int max) {
        return latest(completeHeads, max);
    }

    private List<MessageId> latest(Set<MessageId> ids, int max) {
        return ids.stream().map(byId::get).sorted(ORDER.reversed()).limit(max).map(r -> r.id).toList();
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
        if (!hasChild.contains(message.id)) {
            return false;
        }
        // A way back to it leads through messages that descend from it; while it is missing they are incomplete.
        Set<MessageId> seen = new HashSet<>();
        Deque<MessageId> todo = new ArrayDeque<>(message.parents);
        while (!todo.isEmpty()) {
            MessageId id = todo.poll();
            MessageRecord record = byId.get(id);
            if (record == null || complete.contains(id) || !seen.add(id)) {
                continue;
            }
            if (record.parents.contains(message.id)) {
                return true;
            }
            todo.addAll(record.parents);
        }
        return false;
    }

    /** Whether every message here is complete: no ancestor of any of them is missing. */
    boolean isComplete() {
        return waiting.isEmpty();
    }

    /** Whether a message's parents are all here (complete or not). */
    boolean hasParentsOf(SignedMessage message) {
        return message.parents.stream().allMatch(byId::containsKey);
    }

    /** All messages, each after its parents; ties broken the same way on every member. */
    List<MessageRecord> ordered() {
        if (!orderedIsCurrent) {
            ordered = List.copyOf(inOrder(byId.values(), byId.keySet()));
            orderedIsCurrent = true;
        }
        return ordered;
    }

    /** Some of the messages in history order: each after those of its parents that are among them. */
    private static List<MessageRecord> inOrder(Collection<MessageRecord> records, Set<MessageId> among) {
        Map<MessageId, Integer> waitingParents = new HashMap<>();
        Map<MessageId, List<MessageRecord>> children = new HashMap<>();
        PriorityQueue<MessageRecord> ready = new PriorityQueue<>(ORDER);
        for (MessageRecord record : records) {
            int present = 0;
            for (MessageId parent : new HashSet<>(record.parents)) {
                if (among.contains(parent)) {
                    present++;
                    children.computeIfAbsent(parent, p -> new ArrayList<>()).add(record);
                }
            }
            waitingParents.put(record.id, present);
            if (present == 0) {
                ready.add(record);
            }
        }
        List<MessageRecord> result = new ArrayList<>(records.size());
        while (!ready.isEmpty()) {
            MessageRecord next = ready.poll();
            result.add(next);
            for (MessageRecord child : children.getOrDefault(next.id, List.of())) {
                if (waitingParents.merge(child.id, -1, Integer::sum) == 0) {
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
            MessageRecord record = byId.get(id);
            if (!theirs) {
                missing.put(id, record);
            }
            record.parents.forEach(parent -> walk.reach(parent, theirs));
        }
        return inOrder(missing.values(), missing.keySet());
    }

    /** The state of one {@link #missingFor} walk. */
    private final class Walk {
        final Set<MessageId> theirs = new HashSet<>();
        final Set<MessageId> queued = new HashSet<>();
        final Set<MessageId> taken = new HashSet<>();
        final PriorityQueue<MessageId> todo = new PriorityQueue<>(
                Comparator.<MessageId>comparingInt(heights::get).reversed());
        /** Messages queued and not taken yet that are not known to be theirs: while there are any, go on. */
        int oursOnly;

        void reach(MessageId id, boolean fromTheirs) {
            if (!byId.containsKey(id)) {
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
