package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.List;

import org.ringchat.api.GroupId;
import org.ringchat.state.log.StateOp;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/**
 * The body of a SYNC_BATCH frame: the state operations the requester lacks, then messages it lacks (each
 * after its parents), and how many more messages the sender has for it after these.
 */
record SyncBatch(GroupId group, List<StateOp> ops, long remaining, List<SignedMessage> messages) {

    /** Bounds a batch by count as well as by the frame size. */
    static final int MAX_MESSAGES = 4096;

    SyncBatch {
        ops = List.copyOf(ops);
        messages = List.copyOf(messages);
    }

    byte[] encode() {
        WireWriter w = new WireWriter().bytes(group.toBytes());
        OpsCodec.write(w, ops);
        w.i64(remaining).u16(messages.size());
        messages.forEach(m -> m.write(w));
        return w.toByteArray();
    }

    static SyncBatch decode(byte[] body) {
        WireReader r = new WireReader(body);
        GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
        List<StateOp> ops = OpsCodec.read(r);
        long remaining = r.i64();
        if (remaining < 0) {
            throw new MalformedInputException("negative remaining count");
        }
        int count = r.count("messages", MAX_MESSAGES);
        List<SignedMessage> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(SignedMessage.read(r));
        }
        r.expectEnd();
        return new SyncBatch(group, ops, remaining, messages);
    }
}
