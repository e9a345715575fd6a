package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.List;

import org.ringchat.api.GroupId;
import org.ringchat.state.log.InvalidOpException;
import org.ringchat.state.log.StateOp;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/** Lists of signed state operations in frames: INVITE, STATE and SYNC_BATCH carry them. */
final class OpsCodec {

    /** Bounds a list by count; the frame size bounds it by bytes. */
    static final int MAX_OPS = 16384;

    private OpsCodec() {
    }

    static void write(WireWriter w, List<StateOp> ops) {
        w.u16(ops.size());
        for (StateOp op : ops) {
            byte[] encoded = op.encode();
            w.u16(encoded.length).bytes(encoded);
        }
    }

    static List<StateOp> read(WireReader r) {
        int count = r.count("state operations", MAX_OPS);
        List<StateOp> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = r.u16();
            if (length > StateOp.MAX_ENCODED_BYTES) {
                throw new MalformedInputException("a state operation of " + length + " bytes, at most "
                        + StateOp.MAX_ENCODED_BYTES);
            }
            try {
                ops.add(StateOp.decode(r.bytes(length)));
            } catch (InvalidOpException e) {
                throw new MalformedInputException(e.getMessage());
            }
        }
        return ops;
    }

    /** The body of an INVITE or STATE frame: a group and operations of its state. */
    record GroupOps(GroupId group, List<StateOp> ops) {

        byte[] encode() {
            WireWriter w = new WireWriter().bytes(group.toBytes());
            write(w, ops);
            return w.toByteArray();
        }

        static GroupOps decode(byte[] body) {
            WireReader r = new WireReader(body);
            GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
            List<StateOp> ops = read(r);
            r.expectEnd();
            return new GroupOps(group, ops);
        }
    }
}
