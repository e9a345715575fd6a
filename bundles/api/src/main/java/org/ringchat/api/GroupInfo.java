package org.ringchat.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of a group's state as this node holds it.
 *
 * @param id      the group's random ID
 * @param name    the name its creator gave it
 * @param members the members in the order they joined, as the state lists them (the ring orders them by hash: {@code org.ringchat.spi.Ring})
 * @param version grows by one with every change of the state
 */
public record GroupInfo(GroupId id, String name, List<Member> members, long version) {

    public GroupInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        members = MemberList.copyOf(members);
    }

    /** The member with this peer ID, if any. */
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
}
