package org.ringchat.state.log;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.Member;
import org.ringchat.api.MemberList;
import org.ringchat.api.PeerId;

/**
 * What a group's ops add up to.
 *
 * @param groupId the ID derived from the group's CREATE op
 * @param name    the current name
 * @param members the members in the order they joined in; empty once the last one left
 * @param version the number of ops in the log, those without effect included; equal versions do not imply
 *                equal states, equal heads do
 */
public record GroupState(GroupId groupId, String name, List<Member> members, long version) {

    public GroupState {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(name, "name");
        members = MemberList.copyOf(members);
    }

    /** True once every member has left or been removed: the group has ended. */
    public boolean isEmpty() {
        return members.isEmpty();
    }

    public Optional<Member> member(PeerId peerId) {
        return Optional.ofNullable(find(peerId));
    }

    public boolean isMember(PeerId peerId) {
        return find(peerId) != null;
    }

    public boolean isOwner(PeerId peerId) {
        Member member = find(peerId);
        return member != null && member.owner();
    }

    private Member find(PeerId peerId) {
        return ((MemberList) members).find(peerId);
    }

    public GroupInfo toGroupInfo() {
        return new GroupInfo(groupId, name, members, version);
    }
}
