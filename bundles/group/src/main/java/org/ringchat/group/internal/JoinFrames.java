package org.ringchat.group.internal;

import org.ringchat.api.GroupId;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/** The bodies of JOIN_REQUEST and JOIN_ANSWER frames. */
final class JoinFrames {

    /** JOIN_ANSWER codes. */
    static final int PASSED_ON = 0;
    static final int DECLINED = 1;
    static final int NOT_A_MEMBER = 2;

    private JoinFrames() {
    }

    /** A peer asks to join a group; it says where the owner's invitation can reach it. */
    record Request(GroupId group, PeerAddress requester) {

        byte[] encode() {
            return new WireWriter().bytes(group.toBytes()).bytes(requester.peerId().toBytes())
                    .string(requester.host()).u16(requester.port()).toByteArray();
        }

        static Request decode(byte[] body) {
            WireReader r = new WireReader(body);
            GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
            PeerId peer = PeerId.fromBytes(r.bytes(PeerId.LENGTH));
            String host = r.string("host", Limits.MAX_HOST_BYTES);
            int port = r.u16();
            r.expectEnd();
            try {
                return new Request(group, new PeerAddress(peer, host, port));
            } catch (IllegalArgumentException e) {
                // Not PeerAddress's reason: it repeats the host, whose line breaks would forge log lines.
                throw new MalformedInputException("bad requester address: " + (port == 0 ? "port 0"
                        : "the host is not a host name or IP address"));
            }
        }
    }

    /** What became of a request: passed on to the owners, declined by one, or sent to a non-member. */
    record Answer(GroupId group, int code) {

        byte[] encode() {
            return new WireWriter().bytes(group.toBytes()).u8(code).toByteArray();
        }

        static Answer decode(byte[] body) {
            WireReader r = new WireReader(body);
            GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
            int code = r.u8();
            r.expectEnd();
            if (code > NOT_A_MEMBER) {
                throw new MalformedInputException("unknown join answer " + code);
            }
            return new Answer(group, code);
        }
    }
}
