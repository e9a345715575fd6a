package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.List;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/**
 * The body of a HOLDS frame: a member tells the author of these messages that it holds them, so that an
 * author that counted it missing (it was away, or its acknowledgement came too late) counts it after all.
 */
record Holds(GroupId group, List<MessageId> ids) {

    /** The most messages one frame names: a catch-up batch's worth. */
    static final int MAX_IDS = SyncBatch.MAX_MESSAGES;

    Holds {
        ids = List.copyOf(ids);
        if (ids.isEmpty() || ids.size() > MAX_IDS) {
            throw new IllegalArgumentException("a HOLDS frame names 1 to " + MAX_IDS + " messages, not " + ids.size());
        }
    }

    byte[] encode() {
        WireWriter w = new WireWriter(GroupId.LENGTH + 2 + ids.size() * MessageId.LENGTH)
                .bytes(group.toBytes()).u16(ids.size());
        ids.forEach(id -> w.bytes(id.toBytes()));
        return w.toByteArray();
    }

    static Holds decode(byte[] body) {
        WireReader r = new WireReader(body);
        GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
        int count = r.count("held messages", MAX_IDS);
        if (count == 0) {
            throw new MalformedInputException("a HOLDS frame names no message");
        }
        List<MessageId> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(MessageId.fromBytes(r.bytes(MessageId.LENGTH)));
        }
        r.expectEnd();
        return new Holds(group, ids);
    }
}
