package org.ringchat.state.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

import org.ringchat.api.PeerId;

/** An accepted op in the graph of a {@link StateLog}, with what the fold needs to know about it. */
final class Node {

    /** What an author must hold for its op to be valid and to take effect. */
    enum Right { NONE, MEMBER, OWNER }

    final StateOp op;
    /** Position in acceptance order, which indexes the bit sets of ancestors. */
    final int index;
    final Node[] parents;
    final List<Node> children = new ArrayList<>(1);
    final Right needs;
    /** The peer whose rights this op takes away (revoke, remove, leave), or null. */
    final PeerId takesFrom;
    /** Whether it takes membership, or only ownership. */
    final boolean takesMembership;
    /** The peer an ADD_MEMBER adds, or null: a removal of that peer concurrent with it waits for it. */
    final PeerId adds;
    /** For ops that take rights away and additions: their ancestors, to tell which ops are concurrent with them. */
    final BitSet ancestors;

    Node(StateOp op, int index, Node[] parents) {
        this.op = op;
        this.index = index;
        this.parents = parents;
        Change change = op.change();
        this.needs = needs(change);
        if (change instanceof Change.RevokeOwner c) {
            this.takesFrom = c.peer();
        } else if (change instanceof Change.RemoveMember c) {
            this.takesFrom = c.peer();
        } else if (change instanceof Change.Leave) {
            this.takesFrom = op.author();
        } else {
            this.takesFrom = null;
        }
        this.takesMembership = takesFrom != null && !(change instanceof Change.RevokeOwner);
        this.adds = change instanceof Change.AddMember c ? c.address().peerId() : null;
        this.ancestors = takesFrom == null && adds == null ? null : closure(List.of(parents));
    }

    static Right needs(Change change) {
        return switch (change.kind()) {
            case CREATE -> Right.NONE;
            case LEAVE, UPDATE_ADDRESS -> Right.MEMBER;
            case ADD_MEMBER, REMOVE_MEMBER, GRANT_OWNER, REVOKE_OWNER, RENAME -> Right.OWNER;
        };
    }

    /**
     * Whether this op, which takes rights away and has not been applied yet, holds back {@code other}: an op
     * by the peer it takes them from, needing one of them, that is concurrent with it (other's ancestors
     * have all been applied, so this is not one of them; and other is not one of this op's ancestors).
     */
    boolean holdsBack(Node other) {
        return other != this && other.needs != Right.NONE && other.op.author().equals(takesFrom)
                && (takesMembership || other.needs == Right.OWNER) && !ancestors.get(other.index);
    }

    /**
     * Whether this ADD_MEMBER, not applied yet, holds back {@code other}: a REMOVE_MEMBER of the same peer
     * concurrent with it. So a removal comes after a concurrent addition, and wins over it.
     */
    boolean holdsBackRemovalOf(Node other) {
        return other.op.change() instanceof Change.RemoveMember remove && remove.peer().equals(adds)
                && !ancestors.get(other.index);
    }

    /** The indices of the given nodes and all their ancestors. */
    static BitSet closure(Collection<Node> starts) {
        BitSet seen = new BitSet();
        Deque<Node> todo = new ArrayDeque<>(starts);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (!seen.get(n.index)) {
                seen.set(n.index);
                for (Node p : n.parents) {
                    todo.push(p);
                }
            }
        }
        return seen;
    }
}
