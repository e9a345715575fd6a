package org.ringchat.group.internal;

import org.ringchat.api.GroupId;
import org.ringchat.state.log.OpHash;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/** A state operation named by its group and hash: the body of an INVITE_ACK frame. */
record OpRef(GroupId group, OpHash op) {

    byte[] encode() {
        return new WireWriter().bytes(group.toBytes()).bytes(op.toBytes()).toByteArray();
    }

    static OpRef decode(byte[] body) {
        WireReader r = new WireReader(body);
        OpRef ref = new OpRef(GroupId.fromBytes(r.bytes(GroupId.LENGTH)), OpHash.fromBytes(r.bytes(OpHash.LENGTH)));
        r.expectEnd();
        return ref;
    }
}
