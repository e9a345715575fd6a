package org.ringchat.group.internal;

import org.ringchat.api.GroupId;

/** A version of a group's state: the body of an INVITE_ACK frame. */
record StateRef(GroupId group, long version) {

    byte[] encode() {
        return new WireWriter().bytes(group.toBytes()).i64(version).toByteArray();
    }

    static StateRef decode(byte[] body) {
        WireReader r = new WireReader(body);
        StateRef ref = new StateRef(GroupId.fromBytes(r.bytes(GroupId.LENGTH)), r.i64());
        r.expectEnd();
        return ref;
    }
}
