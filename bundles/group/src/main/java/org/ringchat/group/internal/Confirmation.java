package org.ringchat.group.internal;

import java.util.HashSet;
import java.util.Set;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;

/** The body of a CONFIRM frame: a message went round, and these members have it. */
record Confirmation(GroupId group, MessageId id, Set<PeerId> reachedBy) {

    Confirmation {
        reachedBy = Set.copyOf(reachedBy);
    }

    byte[] encode() {
        WireWriter w = new WireWriter().bytes(group.toBytes()).bytes(id.toBytes()).u16(reachedBy.size());
        reachedBy.stream().sorted().forEach(p -> w.bytes(p.toBytes()));
        return w.toByteArray();
    }

    static Confirmation decode(byte[] body) {
        WireReader r = new WireReader(body);
        GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
        MessageId id = MessageId.fromBytes(r.bytes(MessageId.LENGTH));
        int count = r.count("reached by", Limits.MAX_MEMBERS);
        Set<PeerId> reachedBy = new HashSet<>();
        for (int i = 0; i < count; i++) {
            reachedBy.add(PeerId.fromBytes(r.bytes(PeerId.LENGTH)));
        }
        r.expectEnd();
        return new Confirmation(group, id, reachedBy);
    }
}
