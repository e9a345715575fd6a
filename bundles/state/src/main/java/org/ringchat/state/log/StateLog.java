package org.ringchat.state.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.ringchat.api.GroupId;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.state.log.AddResult.Rejection;
import org.ringchat.state.log.AddResult.Status;

/**
 * The graph of signed ops of one group, and the state they add up to. Every replica that holds the same
 * ops holds the same state, the same heads and the same order, whatever order the ops arrived in; the rules
 * are in {@code docs/STATE.md}.
 *
 * <p>Ops are validated as they are added; an op whose parents are not all known yet is held until they
 * arrive. A log is rebuilt from stored ops by adding them again, in any order. Not thread-safe: confine a
 * log to one thread.
 */
public final class StateLog {

    /** Most members a group can have; further additions are refused, or have no effect when concurrent. */
    public static final int MAX_MEMBERS = 1024;
    /** Most ops held for missing parents; further ones are rejected until some are released. */
    public static final int MAX_HELD = 10_000;

    private final GroupId groupId;
    private final NodeIdentity crypto;
    private final int maxHeld;
    private final Map<OpHash, Node> nodes = new HashMap<>();
    private final List<Node> byIndex = new ArrayList<>();
    private final TreeSet<OpHash> heads = new TreeSet<>();
    private final Map<OpHash, Held> held = new HashMap<>();
    /** For every parent some held op is missing: the held ops naming it. */
    private final Map<OpHash, Set<OpHash>> waitingFor = new HashMap<>();
    /** The fold of the whole log, and its order; null when it must be recomputed. */
    private Fold current;
    /** States at heads other than the current ones, the latest few. */
    private final Map<Set<OpHash>, GroupState> pastStates = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Set<OpHash>, GroupState> eldest) {
            return size() > 16;
        }
    };
    private List<Node> order = new ArrayList<>();

    private record Held(StateOp op, Set<OpHash> missing) {
    }

    /**
     * An empty log for a group, to which its CREATE op and the others are then added.
     *
     * @param crypto checks the ops' signatures ({@link NodeIdentity#verify}); any node's identity will do
     */
    public StateLog(GroupId groupId, NodeIdentity crypto) {
        this(groupId, crypto, MAX_HELD);
    }

    StateLog(GroupId groupId, NodeIdentity crypto, int maxHeld) {
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        this.crypto = Objects.requireNonNull(crypto, "crypto");
        this.maxHeld = maxHeld;
    }

    /**
     * Validates an op and adds it to the log, or holds it until its parents arrive; never throws for a
     * decoded op, however it came to be.
     */
    public AddResult add(StateOp op) {
        OpHash hash = op.hash();
        if (nodes.containsKey(hash)) {
            return new AddResult(Status.DUPLICATE, "", List.of(), List.of());
        }
        Held waiting = held.get(hash);
        if (waiting != null) {
            return new AddResult(Status.MISSING_PARENTS, missingReason(waiting), List.of(), List.of());
        }
        if (!op.groupId().equals(groupId)) {
            return reject(op, op.change().kind() + " of group " + op.groupId() + ", not of " + groupId);
        }
        // Not a reason to give up held children: the hash does not cover the signature, so a valid copy may follow.
        if (!op.hasValidSignature(crypto)) {
            return new AddResult(Status.REJECTED, op.change().kind() + " with a bad signature by "
                    + op.author().shortText(), List.of(), List.of());
        }
        Set<OpHash> missing = new TreeSet<>();
        for (OpHash parent : op.parents()) {
            if (!nodes.containsKey(parent)) {
                missing.add(parent);
            }
        }
        if (missing.isEmpty()) {
            return admit(op);
        }
        if (held.size() >= maxHeld) {
            return new AddResult(Status.REJECTED, maxHeld + " ops wait for their parents already", List.of(), List.of());
        }
        Held h = new Held(op, missing);
        held.put(hash, h);
        for (OpHash parent : missing) {
            waitingFor.computeIfAbsent(parent, p -> new HashSet<>()).add(hash);
        }
        return new AddResult(Status.MISSING_PARENTS, missingReason(h), List.of(), List.of());
    }

    private static String missingReason(Held h) {
        return h.op + " waits for " + h.missing.size() + " parent(s), first " + h.missing.iterator().next().shortText();
    }

    private AddResult reject(StateOp op, String reason) {
        List<Rejection> rejected = new ArrayList<>();
        dropWaitingFor(op.hash(), rejected);
        return new AddResult(Status.REJECTED, reason, List.of(), rejected);
    }

    /** Validates an op whose parents are all in the log; accepted, it releases the held ops waiting for it. */
    private AddResult admit(StateOp op) {
        String refusal = refusal(op);
        if (refusal != null) {
            return reject(op, refusal);
        }
        accept(op);
        List<StateOp> accepted = new ArrayList<>(List.of(op));
        List<Rejection> rejected = new ArrayList<>();
        Deque<OpHash> arrived = new ArrayDeque<>(List.of(op.hash()));
        while (!arrived.isEmpty()) {
            OpHash parent = arrived.poll();
            Set<OpHash> children = waitingFor.remove(parent);
            if (children == null) {
                continue;
            }
            for (OpHash child : children) {
                Held h = held.get(child);
                if (h == null) {
                    continue; // given up meanwhile: it also waited for a sibling that was rejected
                }
                h.missing.remove(parent);
                if (!h.missing.isEmpty()) {
                    continue;
                }
                held.remove(child);
                String reason = refusal(h.op);
                if (reason == null) {
                    accept(h.op);
                    accepted.add(h.op);
                    arrived.add(child);
                } else {
                    rejected.add(new Rejection(h.op, reason));
                    dropWaitingFor(child, rejected);
                }
            }
        }
        return new AddResult(Status.ACCEPTED, "", accepted, rejected);
    }

    /** Gives up the held ops that descend from a rejected op: they can never become valid. */
    private void dropWaitingFor(OpHash rejectedOp, List<Rejection> rejected) {
        Deque<OpHash> todo = new ArrayDeque<>(List.of(rejectedOp));
        while (!todo.isEmpty()) {
            OpHash parent = todo.poll();
            Set<OpHash> children = waitingFor.remove(parent);
            if (children == null) {
                continue;
            }
            for (OpHash child : children) {
                Held h = held.remove(child);
                if (h == null) {
                    continue;
                }
                for (OpHash other : h.missing) {
                    Set<OpHash> siblings = waitingFor.get(other);
                    if (siblings != null && siblings.remove(child) && siblings.isEmpty()) {
                        waitingFor.remove(other);
                    }
                }
                rejected.add(new Rejection(h.op, "its parent " + parent.shortText() + " was rejected"));
                todo.add(child);
            }
        }
    }

    /** Why an op whose parents are in the log is not valid, or null: judged by the state of its causal past. */
    private String refusal(StateOp op) {
        if (op.change() instanceof Change.Create) {
            // Its group ID matched and is derived from it, so it can only be this group's genesis.
            return nodes.isEmpty() ? null : "CREATE: a group has one, its first op";
        }
        if (isHeads(op.parents())) {
            return current().refusal(op);
        }
        BitSet past = Node.closure(op.parents().stream().map(nodes::get).toList());
        List<Node> pastNodes = past.stream().mapToObj(byIndex::get).toList();
        return Fold.run(groupId, pastNodes, past, byIndex.size(), new ArrayList<>()).refusal(op);
    }

    /** Whether these are the current heads, compared as sets: nothing copied, duplicates or not. */
    private boolean isHeads(Collection<OpHash> hashes) {
        return !heads.isEmpty() && heads.containsAll(hashes) && hashes.containsAll(heads);
    }

    private void accept(StateOp op) {
        boolean extendsEverything = isHeads(op.parents());
        Node node = new Node(op, byIndex.size(), op.parents().stream().map(nodes::get).toArray(Node[]::new));
        nodes.put(op.hash(), node);
        byIndex.add(node);
        for (Node parent : node.parents) {
            parent.children.add(node);
        }
        heads.removeAll(op.parents());
        heads.add(op.hash());
        if (extendsEverything && current != null) {
            // It descends from every other op, so it comes last in the order: no need to fold again.
            order.add(node);
            current.apply(op);
        } else {
            current = null;
        }
    }

    private Fold current() {
        if (current == null) {
            order = new ArrayList<>(byIndex.size());
            current = Fold.run(groupId, byIndex, null, byIndex.size(), order);
        }
        return current;
    }

    public GroupId groupId() {
        return groupId;
    }

    /** The state all ops add up to; empty until the group's CREATE op is in the log. */
    public Optional<GroupState> state() {
        return nodes.isEmpty() ? Optional.empty() : Optional.of(current().snapshot());
    }

    /**
     * The state as of the given heads: the fold of the ops among them and their ancestors, as a member
     * holding exactly those ops computes it. Empty when a head is not in the log.
     */
    public Optional<GroupState> stateAt(Collection<OpHash> theirHeads) {
        if (theirHeads.isEmpty() || !nodes.keySet().containsAll(theirHeads)) {
            return Optional.empty();
        }
        if (isHeads(theirHeads)) { // as most messages name
            return state();
        }
        // The past of given heads never changes, so a state once computed stays right.
        return Optional.of(pastStates.computeIfAbsent(new TreeSet<>(theirHeads), h -> {
            BitSet past = Node.closure(h.stream().map(nodes::get).toList());
            List<Node> pastNodes = past.stream().mapToObj(byIndex::get).toList();
            return Fold.run(groupId, pastNodes, past, byIndex.size(), new ArrayList<>()).snapshot();
        }));
    }

    /**
     * Whether the state named by {@code heads} includes the one named by {@code earlier}: every op of
     * {@code earlier} is among {@code heads} or their ancestors. False when a head is not in the log.
     */
    public boolean includes(Collection<OpHash> heads, Collection<OpHash> earlier) {
        if (!holdsAll(heads) || !holdsAll(earlier)) {
            return false;
        }
        if (heads.containsAll(earlier)) {
            return true; // most messages name the state their author's previous one named
        }
        BitSet past = Node.closure(heads.stream().map(nodes::get).toList());
        return earlier.stream().allMatch(h -> past.get(nodes.get(h).index));
    }

    /** A loop, not a stream: every message a node takes is checked against its author's previous one. */
    private boolean holdsAll(Collection<OpHash> hashes) {
        for (OpHash hash : hashes) {
            if (!nodes.containsKey(hash)) {
                return false;
            }
        }
        return true;
    }

    /** The ops no other op names as parent, in ascending order: what a new op names as its parents. */
    public Set<OpHash> heads() {
        return Collections.unmodifiableSet(new TreeSet<>(heads));
    }

    /** All ops in the deterministic order they are applied in (parents always first). */
    public List<StateOp> ops() {
        current();
        return order.stream().map(n -> n.op).toList();
    }

    /**
     * The ops a peer with these heads lacks: those not among the heads nor their ancestors, in the
     * order of {@link #ops()}. Heads this log does not know are ignored.
     */
    public List<StateOp> since(Collection<OpHash> theirHeads) {
        BitSet theirs = Node.closure(theirHeads.stream().map(nodes::get).filter(Objects::nonNull).toList());
        current();
        return order.stream().filter(n -> !theirs.get(n.index)).map(n -> n.op).toList();
    }

    public Optional<StateOp> get(OpHash hash) {
        return Optional.ofNullable(nodes.get(hash)).map(n -> n.op);
    }

    public boolean contains(OpHash hash) {
        return nodes.containsKey(hash);
    }

    /** The parents that held ops wait for and nobody has supplied: the ops to ask peers for. */
    public Set<OpHash> missingParents() {
        Set<OpHash> wanted = new TreeSet<>(waitingFor.keySet());
        wanted.removeAll(held.keySet());
        return Collections.unmodifiableSet(wanted);
    }

    /** The number of ops in the log. */
    public int size() {
        return nodes.size();
    }

    /** The number of ops held for missing parents. */
    public int heldCount() {
        return held.size();
    }
}
