package org.ringchat.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class MemberListTest {

    private static Member member(int n, boolean owner) {
        byte[] id = new byte[PeerId.LENGTH];
        id[0] = (byte) n;
        id[1] = (byte) (n >> 8);
        return new Member(new PeerAddress(PeerId.fromBytes(id), "127.0.0.1", 4000 + n), owner);
    }

    @Test
    void everyMemberIsFoundByAnEqualPeerIdAndOthersAreNot() {
        List<Member> members = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            members.add(member(n, n == 0));
        }
        MemberList list = MemberList.copyOf(members);
        for (int n = 0; n < 100; n++) {
            PeerId equalButNotTheSame = PeerId.fromBytes(members.get(n).peerId().toBytes());
            assertSame(members.get(n), list.find(equalButNotTheSame));
        }
        assertNull(list.find(member(100, false).peerId()));
        assertEquals(members, list, "the same members in the same order");
        assertSame(list, MemberList.copyOf(list));
    }

    @Test
    void anIdWithTheSameHashIsNoMember() {
        Member member = member(31 << 8, false); // bytes 0, 31: the same Arrays.hashCode as 1, 0
        PeerId other = member(1, false).peerId();
        assertEquals(member.peerId().hashCode(), other.hashCode());
        assertNull(MemberList.copyOf(List.of(member)).find(other));
    }

    @Test
    void aGroupInfoListsItsMembersInAMemberList() {
        GroupInfo info = new GroupInfo(GroupId.fromBytes(new byte[GroupId.LENGTH]), "g",
                List.of(member(1, true), member(2, false)), 3);
        assertTrue(info.members() instanceof MemberList);
        assertTrue(info.isOwner(member(1, true).peerId()));
        assertTrue(info.isMember(member(2, false).peerId()));
        assertFalse(info.isMember(member(3, false).peerId()));
        assertThrows(UnsupportedOperationException.class, () -> info.members().add(member(3, false)));
        assertThrows(NullPointerException.class,
                () -> MemberList.copyOf(java.util.Arrays.asList(member(1, true), null)));
    }
}
