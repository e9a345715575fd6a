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

/** Bodies of the broadcast frames (CHAT, ACKS, PARTS_DONE, CONFIRMS); see docs/PROTOCOL.md. */
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
        if (total < 0) {
            throw new MalformedInputException("missing total " + total + " is negative");
        }
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
     * What a CHAT carries after its link sequence: the message, and how the sender's topology routes it on.
     *
     * @param topology the name of the topology the route belongs to
     * @param route    the route the receiver goes on with, in that topology's terms
     */
    record Header(GroupId group, MessageId id, String topology, PeerId route) {

        int length() {
            return GroupId.LENGTH + MessageId.LENGTH + 1 + topology.length() + PeerId.LENGTH;
        }

        void write(WireWriter w) {
            w.bytes(group.toBytes()).bytes(id.toBytes());
            writeRoute(w, topology, route);
        }

        static Header read(WireReader r) {
            GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
            MessageId id = MessageId.fromBytes(r.bytes(MessageId.LENGTH));
            return new Header(group, id, readTopology(r), PeerId.fromBytes(r.bytes(PeerId.LENGTH)));
        }
    }

    /** How the receiver routes on: the topology's name, then the route in its terms. */
    static void writeRoute(WireWriter w, String topology, PeerId route) {
        // With no array of its own: every frame of the broadcast carries the name, which is printable ASCII.
        w.u8(topology.length()).ascii(topology).bytes(route.toBytes());
    }

    static String readTopology(WireReader r) {
        int length = r.u8();
        if (length > MAX_TOPOLOGY_NAME) {
            throw new MalformedInputException("topology name of " + length + " bytes; at most " + MAX_TOPOLOGY_NAME);
        }
        // Read as ASCII, any other byte would become U+FFFD: a name other than the one sent.
        String name = new String(r.bytes(length), StandardCharsets.ISO_8859_1);
        if (!isTopologyName(name)) {
            throw new MalformedInputException("topology name is not printable ASCII");
        }
        return name;
    }

    /** Whether a topology's name can be sent: printable ASCII, at most {@link #MAX_TOPOLOGY_NAME} characters. */
    static boolean isTopologyName(String name) {
        return name.length() <= MAX_TOPOLOGY_NAME && name.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
    }

    /**
     * CHAT: the sender's link sequence (its epoch, this frame's number on the link to the receiver), the
     * header, then the message as its author wrote it (opaque here). The receiver acknowledges the number, not
     * the message (ACKS), and reports the part done by it (PARTS_DONE).
     */
    record Chat(long epoch, long seq, Header header, byte[] payload) {

        byte[] encode() {
            WireWriter w = new WireWriter(16 + header.length() + payload.length).i64(epoch).i64(seq);
            header.write(w);
            return w.bytes(payload).toByteArray();
        }

        /**
         * What comes before the payload: a node passing a message on sends the payload it holds after it
         * ({@link Link}), so that the message is not copied into a frame of its own at every hop.
         */
        static byte[] encodeHead(long epoch, long seq, Header header) {
            WireWriter w = new WireWriter(16 + header.length()).i64(epoch).i64(seq);
            header.write(w);
            return w.toByteArray();
        }

        static Chat decode(byte[] body) {
            return decode(new WireReader(body));
        }

        static Chat decode(WireReader r) {
            return new Chat(r.i64(), r.i64(), Header.read(r), r.rest());
        }
    }

    static void writeRanges(WireWriter w, List<SeqRanges.Range> ranges) {
        w.u16(ranges.size());
        ranges.forEach(range -> w.i64(range.first()).i64(range.last()));
    }

    /** At most {@link SeqRanges#MAX_RANGES}, each first ≤ last, ascending and apart. */
    static List<SeqRanges.Range> readRanges(WireReader r) {
        int count = r.count("sequence ranges", SeqRanges.MAX_RANGES);
        List<SeqRanges.Range> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long first = r.i64();
            long last = r.i64();
            if (first > last) {
                throw new MalformedInputException("sequence range " + first + " to " + last + " ends before it starts");
            }
            long previous = ranges.isEmpty() ? 0 : ranges.get(ranges.size() - 1).last();
            // apart: above the previous range and not next to it (a difference, which cannot overflow to 1)
            if (!ranges.isEmpty() && (first <= previous || first - previous == 1)) {
                throw new MalformedInputException("sequence ranges out of order or touching at " + first);
            }
            ranges.add(new SeqRanges.Range(first, last));
        }
        return ranges;
    }

    /** ACKS: the receiver holds the messages of these CHATs of the sender's epoch. */
    record Acks(long epoch, List<SeqRanges.Range> ranges) {

        Acks {
            ranges = List.copyOf(ranges);
        }

        byte[] encode() {
            WireWriter w = new WireWriter(10 + 16 * ranges.size()).i64(epoch);
            writeRanges(w, ranges);
            return w.toByteArray();
        }

        static Acks decode(byte[] body) {
            WireReader r = new WireReader(body);
            Acks acks = new Acks(r.i64(), readRanges(r));
            r.expectEnd();
            return acks;
        }
    }

    /** One part done with members missing: the CHAT's number, and whom the part missed. */
    record PartMissed(long seq, Dissemination.Missing missing) {
    }

    /**
     * PARTS_DONE: the parts handed to the receiver by these CHATs of its epoch are done: every member of those
     * in {@code complete} has the message, those of {@code missed} all but the members named.
     */
    record PartsDone(long epoch, List<SeqRanges.Range> complete, List<PartMissed> missed) {

        /** The most parts with members missing that one frame reports. */
        static final int MAX_MISSED = 64;

        PartsDone {
            complete = List.copyOf(complete);
            missed = List.copyOf(missed);
        }

        byte[] encode() {
            WireWriter w = new WireWriter().i64(epoch);
            writeRanges(w, complete);
            w.u16(missed.size());
            missed.forEach(part -> writeMissing(w.i64(part.seq()), part.missing()));
            return w.toByteArray();
        }

        static PartsDone decode(byte[] body) {
            WireReader r = new WireReader(body);
            long epoch = r.i64();
            List<SeqRanges.Range> complete = readRanges(r);
            int count = r.count("parts with members missing", MAX_MISSED);
            List<PartMissed> missed = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                missed.add(new PartMissed(r.i64(), readMissing(r)));
            }
            r.expectEnd();
            return new PartsDone(epoch, complete, missed);
        }
    }

    /** One message's confirmation: whom it missed. */
    record Confirmed(MessageId id, Dissemination.Missing missing) {
    }

    /** Confirmations as CONFIRMS and CONFIRMS_ANSWER carry them: those that reached everyone, then the others with whom they missed. */
    static void writeConfirmed(WireWriter w, List<Confirmed> messages) {
        List<Confirmed> complete = messages.stream().filter(m -> m.missing().total() == 0).toList();
        List<Confirmed> missed = messages.stream().filter(m -> m.missing().total() > 0).toList();
        w.u16(complete.size());
        complete.forEach(m -> w.bytes(m.id().toBytes()));
        w.u16(missed.size());
        missed.forEach(m -> writeMissing(w.bytes(m.id().toBytes()), m.missing()));
    }

    static List<Confirmed> readConfirmed(WireReader r, int maxComplete, int maxMissed) {
        int complete = r.count("confirmed messages", maxComplete);
        List<Confirmed> messages = new ArrayList<>(complete);
        for (int i = 0; i < complete; i++) {
            messages.add(new Confirmed(MessageId.fromBytes(r.bytes(MessageId.LENGTH)), Dissemination.Missing.NONE));
        }
        int missed = r.count("confirmed messages with members missing", maxMissed);
        for (int i = 0; i < missed; i++) {
            MessageId id = MessageId.fromBytes(r.bytes(MessageId.LENGTH));
            Dissemination.Missing missing = readMissing(r);
            if (missing.total() == 0) {
                throw new MalformedInputException("a message listed with members missing misses none");
            }
            messages.add(new Confirmed(id, missing));
        }
        return messages;
    }

    /**
     * CONFIRMS: messages of one group that went round, routed on alike: those that reached every member, then
     * those that missed some, each with whom.
     */
    record Confirms(GroupId group, String topology, PeerId route, List<Confirmed> messages) {

        /** The most messages one frame confirms, and of those the most with members missing. */
        static final int MAX_MESSAGES = 1024;
        static final int MAX_MISSED = 64;

        Confirms {
            messages = List.copyOf(messages);
        }

        byte[] encode() {
            WireWriter w = new WireWriter();
            writeRoute(w.bytes(group.toBytes()), topology, route);
            writeConfirmed(w, messages);
            return w.toByteArray();
        }

        static Confirms decode(byte[] body) {
            WireReader r = new WireReader(body);
            GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
            String topology = readTopology(r);
            PeerId route = PeerId.fromBytes(r.bytes(PeerId.LENGTH));
            List<Confirmed> messages = readConfirmed(r, MAX_MESSAGES, MAX_MISSED);
            r.expectEnd();
            return new Confirms(group, topology, route, messages);
        }
    }
}
