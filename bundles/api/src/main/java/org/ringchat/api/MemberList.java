package org.ringchat.api;

import java.util.AbstractList;
import java.util.Collection;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The members of a group as {@link GroupInfo#members()} lists them: unmodifiable, in their order, and found by
 * peer ID among their IDs' hashes, kept side by side. A node asks whether a message's sender and author are
 * members for every message it takes; scanning one array of hashes reads a cache line or two, where following
 * each member to its address and its ID read three lines a member.
 */
public final class MemberList extends AbstractList<Member> implements RandomAccess {

    private static final MemberList EMPTY = new MemberList(new Member[0]);

    private final Member[] members;
    private final int[] hashes;

    private MemberList(Member[] members) {
        this.members = members;
        this.hashes = new int[members.length];
        for (int i = 0; i < members.length; i++) {
            hashes[i] = Objects.requireNonNull(members[i], "member").peerId().hashCode();
        }
    }

    /** The members in their order, as an unmodifiable list; the list itself if it is one already. */
    public static MemberList copyOf(Collection<Member> members) {
        if (members instanceof MemberList list) {
            return list;
        }
        return members.isEmpty() ? EMPTY : new MemberList(members.toArray(new Member[0]));
    }

    /** The member with this peer ID, or null. */
    public Member find(PeerId peerId) {
        int hash = peerId.hashCode();
        for (int i = 0; i < hashes.length; i++) {
            if (hashes[i] == hash && members[i].peerId().equals(peerId)) {
                return members[i];
            }
        }
        return null;
    }

    @Override
    public Member get(int index) {
        return members[index];
    }

    @Override
    public int size() {
        return members.length;
    }
}
