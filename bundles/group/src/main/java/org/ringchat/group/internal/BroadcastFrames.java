package org.ringchat.group.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/** Bodies of the broadcast frames (CHAT, PART_DONE, CONFIRM); see docs/PROTOCOL.md. */
final class BroadcastFrames {

    /** Longest topology name a frame may carry. */
    static final int MAX_TOPOLOGY_NAME = 32;

    private BroadcastFrames() {
    }

    /** Members that did not get a message: how many, and the first {@link Dissemination.Missing#MAX_LISTED} of them. */
    static void writeMissing(WireWriter w, Dissemination.Missing missing) {
        w.i32(missing.total()).u16(missing.listed().size());
        missing.listed().forEach(p -> w.bytes(p.toBytes()));
    }

    static Dissemination.Missing readMissing(WireReader r) {
        int total = r.i32();
        int listed = r.count("missing members", Dissemination.Missing.MAX_LISTED);
        if (total < listed) {
            throw new MalformedInputException("missing total " + total + " is below the " + listed + " listed");
        }
        List<PeerId> peers = new ArrayList<>(listed);
        for (int i = 0; i < listed; i++) {
            peers.add(PeerId.fromBytes(r.bytes(PeerId.LENGTH)));
        }
        return new Dissemination.Missing(total, peers);
    }

    /**
     * What CHAT and CONFIRM frames start with: the message, and how the sender's topology routes it on.
     *
     * @param topology the name of the topology the route belongs to
     * @param route    the route the receiver goes on with, in that topology's terms
     */
    record Header(GroupId group, MessageId id, String topology, PeerId route) {

        int length() {
            return GroupId.LENGTH + MessageId.LENGTH + 1 + topology.length() + PeerId.LENGTH;
        }

        void write(WireWriter w) {
            byte[] name = topology.getBytes(StandardCharsets.US_ASCII);
            w.bytes(group.toBytes()).bytes(id.toBytes()).u8(name.length).bytes(name).bytes(route.toBytes());
        }

        static Header read(WireReader r) {
            GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
            MessageId id = MessageId.fromBytes(r.bytes(MessageId.LENGTH));
            int length = r.u8();
            if (length > MAX_TOPOLOGY_NAME) {
                throw new MalformedInputException("topology name of " + length + " bytes; at most " + MAX_TOPOLOGY_NAME);
            }
            byte[] name = r.bytes(length);
            for (byte b : name) {
                // Read as ASCII, any other byte would become U+FFFD: a name other than the one sent.
                if (b < 0x20 || b > 0x7e) {
                    throw new MalformedInputException("topology name is not printable ASCII");
                }
            }
            String topology = new String(name, StandardCharsets.US_ASCII);
            return new Header(group, id, topology, PeerId.fromBytes(r.bytes(PeerId.LENGTH)));
        }
    }

    /** CHAT: the header, then the message as its author wrote it (opaque here). */
    record Chat(Header header, byte[] payload) {

        byte[] encode() {
            WireWriter w = new WireWriter(header.length() + payload.length);
            header.write(w);
            return w.bytes(payload).toByteArray();
        }

        static Chat decode(byte[] body) {
            WireReader r = new WireReader(body);
            return new Chat(Header.read(r), r.rest());
        }
    }

    /** CONFIRM: the header, then whom the message missed. */
    record Confirm(Header header, Dissemination.Missing missing) {

        byte[] encode() {
            WireWriter w = new WireWriter();
            header.write(w);
            writeMissing(w, missing);
            return w.toByteArray();
        }

        static Confirm decode(byte[] body) {
            WireReader r = new WireReader(body);
            Confirm confirm = new Confirm(Header.read(r), readMissing(r));
            r.expectEnd();
            return confirm;
        }
    }

    /** PART_DONE: every member of the part handed to the sender has the message, but these. */
    record PartDone(GroupId group, MessageId id, Dissemination.Missing missing) {

        byte[] encode() {
            WireWriter w = new WireWriter().bytes(group.toBytes()).bytes(id.toBytes());
            writeMissing(w, missing);
            return w.toByteArray();
        }

        static PartDone decode(byte[] body) {
            WireReader r = new WireReader(body);
            PartDone done = new PartDone(GroupId.fromBytes(r.bytes(GroupId.LENGTH)),
                    MessageId.fromBytes(r.bytes(MessageId.LENGTH)), readMissing(r));
            r.expectEnd();
            return done;
        }
    }
}
