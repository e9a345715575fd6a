package org.ringchat.group.internal;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/** A message named by its group and ID: the body of a CHAT_ACK frame. */
record MessageRef(GroupId group, MessageId id) {

    byte[] encode() {
        return new WireWriter().bytes(group.toBytes()).bytes(id.toBytes()).toByteArray();
    }

    static MessageRef decode(byte[] body) {
        WireReader r = new WireReader(body);
        MessageRef ref = new MessageRef(GroupId.fromBytes(r.bytes(GroupId.LENGTH)),
                MessageId.fromBytes(r.bytes(MessageId.LENGTH)));
        r.expectEnd();
        return ref;
    }
}
