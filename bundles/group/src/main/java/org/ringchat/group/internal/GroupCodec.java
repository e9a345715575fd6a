package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.Member;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;

/** Encoding of a group's state, as sent in INVITE and STATE frames and kept in the store. */
final class GroupCodec {

    private static final int OWNER_FLAG = 1;

    private GroupCodec() {
    }

    static void write(WireWriter w, GroupInfo group) {
        w.bytes(group.id().toBytes()).string(group.name()).i64(group.version()).u16(group.members().size());
        for (Member m : group.members()) {
            w.bytes(m.peerId().toBytes())
                    .string(m.address().host())
                    .u16(m.address().port())
                    .u8(m.owner() ? OWNER_FLAG : 0);
        }
    }

    static byte[] encode(GroupInfo group) {
        WireWriter w = new WireWriter();
        write(w, group);
        return w.toByteArray();
    }

    static GroupInfo read(WireReader r) {
        GroupId id = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
        String name = r.string("group name", Limits.MAX_GROUP_NAME_BYTES);
        long version = r.i64();
        int count = r.count("members", Limits.MAX_MEMBERS);
        List<Member> members = new ArrayList<>(count);
        Set<PeerId> seen = new HashSet<>();
        boolean hasOwner = false;
        for (int i = 0; i < count; i++) {
            PeerId peer = PeerId.fromBytes(r.bytes(PeerId.LENGTH));
            String host = r.string("host", Limits.MAX_HOST_BYTES);
            int port = r.u16();
            int flags = r.u8();
            if (!seen.add(peer)) {
                throw new MalformedInputException("member listed twice: " + peer);
            }
            try {
                members.add(new Member(new PeerAddress(peer, host, port), (flags & OWNER_FLAG) != 0));
            } catch (IllegalArgumentException e) {
                throw new MalformedInputException("bad member address: " + e.getMessage());
            }
            hasOwner |= (flags & OWNER_FLAG) != 0;
        }
        if (!hasOwner) {
            throw new MalformedInputException("a group state without an owner");
        }
        return new GroupInfo(id, name, members, version);
    }

    static GroupInfo decode(byte[] body) {
        WireReader r = new WireReader(body);
        GroupInfo group = read(r);
        r.expectEnd();
        return group;
    }
}
