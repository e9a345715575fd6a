package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.List;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;

/** The body of a SYNC_REQUEST frame: "I hold these heads and everything before them; send me the rest." */
record SyncRequest(GroupId group, List<MessageId> heads) {

    SyncRequest {
        heads = List.copyOf(heads);
    }

    byte[] encode() {
        WireWriter w = new WireWriter().bytes(group.toBytes()).u16(heads.size());
        heads.forEach(h -> w.bytes(h.toBytes()));
        return w.toByteArray();
    }

    static SyncRequest decode(byte[] body) {
        WireReader r = new WireReader(body);
        GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
        int count = r.count("heads", Limits.MAX_SYNC_HEADS);
        List<MessageId> heads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            heads.add(MessageId.fromBytes(r.bytes(MessageId.LENGTH)));
        }
        r.expectEnd();
        return new SyncRequest(group, heads);
    }
}
