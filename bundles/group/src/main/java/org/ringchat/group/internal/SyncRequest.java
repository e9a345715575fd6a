package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.List;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.state.log.OpHash;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/**
 * The body of a SYNC_REQUEST frame: "I hold these heads of the state and of the messages, and everything
 * before them; send me the rest."
 */
record SyncRequest(GroupId group, List<OpHash> stateHeads, List<MessageId> messageHeads) {

    SyncRequest {
        stateHeads = List.copyOf(stateHeads);
        messageHeads = List.copyOf(messageHeads);
    }

    byte[] encode() {
        WireWriter w = new WireWriter().bytes(group.toBytes()).u16(stateHeads.size());
        stateHeads.forEach(h -> w.bytes(h.toBytes()));
        w.u16(messageHeads.size());
        messageHeads.forEach(h -> w.bytes(h.toBytes()));
        return w.toByteArray();
    }

    static SyncRequest decode(byte[] body) {
        WireReader r = new WireReader(body);
        GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
        int stateCount = r.count("state heads", Limits.MAX_SYNC_HEADS);
        List<OpHash> stateHeads = new ArrayList<>(stateCount);
        for (int i = 0; i < stateCount; i++) {
            stateHeads.add(OpHash.fromBytes(r.bytes(OpHash.LENGTH)));
        }
        int messageCount = r.count("message heads", Limits.MAX_SYNC_HEADS);
        List<MessageId> messageHeads = new ArrayList<>(messageCount);
        for (int i = 0; i < messageCount; i++) {
            messageHeads.add(MessageId.fromBytes(r.bytes(MessageId.LENGTH)));
        }
        r.expectEnd();
        return new SyncRequest(group, stateHeads, messageHeads);
    }
}
