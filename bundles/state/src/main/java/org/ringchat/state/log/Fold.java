package org.ringchat.state.log;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import org.ringchat.api.GroupId;
import org.ringchat.api.Member;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;

/**
 * A group's state while ops are applied to it in the deterministic order, and the rules for one op:
 * {@link #refusal} (is it valid against this state?) and {@link #apply} (what it changes).
 */
final class Fold {

    private static final Comparator<Node> BY_HASH = Comparator.comparing(n -> n.op.hash());

    private final GroupId groupId;
    private String name = "";
    /** In join order, which is the seniority. */
    private final LinkedHashMap<PeerId, Member> members = new LinkedHashMap<>();
    private long version;
    /** The state as last taken, until the next op: every message's check asks for it. */
    private GroupState snapshot;

    private Fold(GroupId groupId) {
        this.groupId = groupId;
    }

    /**
     * Applies a set of nodes in the deterministic order (docs/STATE.md, "Order"): Kahn's topological sort,
     * smallest hash first among the ready nodes, except that a node is held back while an unapplied node
     * concurrent with it takes away a right its author needs, and a removal while a concurrent addition of
     * the same peer is unapplied; when every ready node is held back, the one by the most senior author
     * goes first.
     *
     * @param nodes a set closed under ancestors
     * @param inSet the indices of {@code nodes}, or null when they are all nodes of the log
     * @param bound one more than the largest index
     * @param order receives the nodes in the order applied
     */
    static Fold run(GroupId groupId, List<Node> nodes, BitSet inSet, int bound, List<Node> order) {
        Fold fold = new Fold(groupId);
        int[] waiting = new int[bound];
        PriorityQueue<Node> ready = new PriorityQueue<>(BY_HASH);
        Map<PeerId, List<Node>> unapplied = new HashMap<>();
        Map<PeerId, List<Node>> unappliedAdds = new HashMap<>();
        for (Node n : nodes) {
            waiting[n.index] = n.parents.length;
            if (n.parents.length == 0) {
                ready.add(n);
            }
            if (n.takesFrom != null) {
                unapplied.computeIfAbsent(n.takesFrom, p -> new ArrayList<>()).add(n);
            }
            if (n.adds != null) {
                unappliedAdds.computeIfAbsent(n.adds, p -> new ArrayList<>()).add(n);
            }
        }
        List<Node> held = new ArrayList<>();
        for (int applied = 0; applied < nodes.size(); applied++) {
            Node next = null;
            while (next == null && !ready.isEmpty()) {
                Node n = ready.poll();
                if (isHeldBack(n, unapplied, unappliedAdds)) {
                    held.add(n);
                } else {
                    next = n;
                }
            }
            if (next == null) {
                next = fold.bySeniorAuthor(held);
                held.remove(next);
            }
            order.add(next);
            fold.apply(next.op);
            if (next.takesFrom != null) {
                unapplied.get(next.takesFrom).remove(next);
            }
            if (next.adds != null) {
                unappliedAdds.get(next.adds).remove(next);
            }
            if (next.takesFrom != null || next.adds != null) {
                // Only applying such a node can release held ones.
                ready.addAll(held);
                held.clear();
            }
            for (Node child : next.children) {
                if ((inSet == null || inSet.get(child.index)) && --waiting[child.index] == 0) {
                    ready.add(child);
                }
            }
        }
        return fold;
    }

    private static boolean isHeldBack(Node n, Map<PeerId, List<Node>> unapplied, Map<PeerId, List<Node>> unappliedAdds) {
        List<Node> takers = unapplied.getOrDefault(n.op.author(), List.of());
        if (takers.stream().anyMatch(r -> r.holdsBack(n))) {
            return true;
        }
        return n.op.change() instanceof Change.RemoveMember remove
                && unappliedAdds.getOrDefault(remove.peer(), List.of()).stream().anyMatch(a -> a.holdsBackRemovalOf(n));
    }

    /** The node whose author joined first (non-members last), then the smallest hash. */
    private Node bySeniorAuthor(List<Node> candidates) {
        Map<PeerId, Integer> seniority = new HashMap<>();
        for (PeerId peer : members.keySet()) {
            seniority.put(peer, seniority.size());
        }
        return Collections.min(candidates, Comparator
                .comparingInt((Node n) -> seniority.getOrDefault(n.op.author(), Integer.MAX_VALUE))
                .thenComparing(BY_HASH));
    }

    /** Why an op other than CREATE is not valid against this state, or null when it is (docs/STATE.md, "Validity"). */
    String refusal(StateOp op) {
        Change change = op.change();
        String by = change.kind() + " by " + op.author().shortText();
        if (members.isEmpty()) {
            return by + ": the group has ended, every member left";
        }
        Member author = members.get(op.author());
        if (author == null) {
            return by + ", who is not a member";
        }
        if (Node.needs(change) == Node.Right.OWNER && !author.owner()) {
            return by + ", who is not an owner";
        }
        if (change instanceof Change.AddMember c) {
            if (members.containsKey(c.address().peerId())) {
                return by + ": " + c.address().peerId().shortText() + " is a member already";
            }
            if (members.size() >= StateLog.MAX_MEMBERS) {
                return by + ": the group has " + StateLog.MAX_MEMBERS + " members, the most allowed";
            }
        } else if (change instanceof Change.RemoveMember c) {
            if (!members.containsKey(c.peer())) {
                return by + ": " + c.peer().shortText() + " is not a member";
            }
        } else if (change instanceof Change.GrantOwner c) {
            Member m = members.get(c.peer());
            if (m == null || m.owner()) {
                return by + ": " + c.peer().shortText() + (m == null ? " is not a member" : " is an owner already");
            }
        } else if (change instanceof Change.RevokeOwner c) {
            Member m = members.get(c.peer());
            if (m == null || !m.owner()) {
                return by + ": " + c.peer().shortText() + " is not an owner";
            }
        } else if (change instanceof Change.Rename c) {
            if (c.name().equals(name)) {
                return by + ": the group has that name already";
            }
        } else if (change instanceof Change.UpdateAddress c) {
            if (author.address().host().equals(c.host()) && author.address().port() == c.port()) {
                return by + ": the member has that address already";
            }
        }
        return null;
    }

    /**
     * Applies one op (docs/STATE.md, "Effect"). An op whose author lacks the right at this point of the
     * order has no effect, but still counts in the version.
     */
    void apply(StateOp op) {
        snapshot = null;
        version++;
        PeerId authorId = op.author();
        Change change = op.change();
        if (change instanceof Change.Create c) {
            name = c.name();
            members.put(authorId, new Member(new PeerAddress(authorId, c.host(), c.port()), true));
            return;
        }
        Member author = members.get(authorId);
        if (author == null || (Node.needs(change) == Node.Right.OWNER && !author.owner())) {
            return;
        }
        if (change instanceof Change.AddMember c) {
            if (!members.containsKey(c.address().peerId()) && members.size() < StateLog.MAX_MEMBERS) {
                members.put(c.address().peerId(), new Member(c.address(), c.owner()));
            }
        } else if (change instanceof Change.RemoveMember c) {
            members.remove(c.peer());
            keepAnOwner();
        } else if (change instanceof Change.GrantOwner c) {
            members.computeIfPresent(c.peer(), (p, m) -> new Member(m.address(), true));
        } else if (change instanceof Change.RevokeOwner c) {
            members.computeIfPresent(c.peer(), (p, m) -> new Member(m.address(), false));
            keepAnOwner();
        } else if (change instanceof Change.Rename c) {
            name = c.name();
        } else if (change instanceof Change.Leave) {
            members.remove(authorId);
            keepAnOwner();
        } else if (change instanceof Change.UpdateAddress c) {
            members.put(authorId, new Member(new PeerAddress(authorId, c.host(), c.port()), author.owner()));
        }
    }

    /** The last owner gone, the longest-standing member takes over, so that the group stays manageable. */
    private void keepAnOwner() {
        if (!members.isEmpty() && members.values().stream().noneMatch(Member::owner)) {
            Map.Entry<PeerId, Member> first = members.entrySet().iterator().next();
            first.setValue(new Member(first.getValue().address(), true));
        }
    }

    GroupState snapshot() {
        if (snapshot == null) {
            snapshot = new GroupState(groupId, name, new ArrayList<>(members.values()), version);
        }
        return snapshot;
    }
}
