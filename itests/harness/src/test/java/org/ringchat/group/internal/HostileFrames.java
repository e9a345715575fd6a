package org.ringchat.group.internal;

import java.time.Instant;
import java.util.List;

import org.ringchat.api.MessageId;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.state.log.Change;
import org.ringchat.state.log.StateOp;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/** Frame bodies a malicious peer makes out of a real CHAT it got, for tests of whole nodes. */
public final class HostileFrames {


    private HostileFrames() {
    }

    /** The CHAT bodies a frame carries: the frame itself if it is a CHAT, those in it if it is a BUNDLE. */
    public static List<byte[]> chatsIn(int type, byte[] body) {
        if (type == FrameType.CHAT) {
            return List.of(body);
        }
        if (type == FrameType.BUNDLE) {
            return Bundle.decode(body).stream().filter(frame -> frame.type() == FrameType.CHAT)
                    .map(Bundle.Entry::body).toList();
        }
        return List.of();
    }

    /**
     * The CHAT's message with another text, under the ID that text makes, its author's signature kept: only
     * the signature gives it away.
     */
    public static byte[] forged(byte[] chat, String text) {
        SignedMessage original = message(chat);
        MessageId id = SignedMessage.Draft.of(original.authorKey, original.group, original.parents, original.sentAt(),
                original.stateHeads, text).id();
        SignedMessage forged = withAuthOf(fieldsWith(original, id, text), original);
        return chat(BroadcastFrames.Chat.decode(chat), forged);
    }

    /** A new message signed by {@code author}, naming the state the CHAT's message names. */
    public static byte[] newMessage(byte[] chat, NodeIdentity author, String text) {
        SignedMessage original = message(chat);
        SignedMessage message = SignedMessage.create(author, original.group, List.of(original.id), Instant.now(),
                original.stateHeads, text);
        return chat(BroadcastFrames.Chat.decode(chat), message);
    }

    /** A STATE frame with a change signed by {@code author}, on top of the state the CHAT's message names. */
    public static byte[] stateChange(byte[] chat, NodeIdentity author, Change change) {
        SignedMessage original = message(chat);
        StateOp op = StateOp.sign(author, original.group, original.stateHeads, System.currentTimeMillis(), change);
        return new OpsCodec.GroupOps(original.group, List.of(op)).encode();
    }

    private static SignedMessage message(byte[] chat) {
        WireReader reader = new WireReader(BroadcastFrames.Chat.decode(chat).payload());
        SignedMessage message = SignedMessage.read(reader);
        reader.expectEnd();
        return message;
    }

    /** The encoding of the message's fields with another ID and text, up to its authentication. */
    private static byte[] fieldsWith(SignedMessage m, MessageId id, String text) {
        WireWriter w = new WireWriter().bytes(m.group.toBytes()).bytes(id.toBytes()).u16(m.parents.size());
        m.parents.forEach(p -> w.bytes(p.toBytes()));
        w.bytes(m.authorKey).i64(m.sentAtMillis).u16(m.stateHeads.size());
        m.stateHeads.forEach(h -> w.bytes(h.toBytes()));
        return w.string(text).toByteArray();
    }

    /** The fields followed by the authentication (scheme, batch path, signature) of {@code original}. */
    private static SignedMessage withAuthOf(byte[] fields, SignedMessage original) {
        WireWriter w = new WireWriter().bytes(fields);
        original.writeAuth(w);
        return SignedMessage.read(new WireReader(w.toByteArray()));
    }

    /** Another message in the CHAT's place: its link sequence and route kept. */
    private static byte[] chat(BroadcastFrames.Chat original, SignedMessage message) {
        WireWriter payload = new WireWriter();
        message.write(payload);
        BroadcastFrames.Header header = original.header();
        return new BroadcastFrames.Chat(original.epoch(), original.seq(), new BroadcastFrames.Header(message.group,
                message.id, header.topology(), header.route()), payload.toByteArray()).encode();
    }
}
