package org.ringchat.group.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.state.log.OpHash;

/**
 * A chat message exactly as its author signed it. The author is identified by the public key it
 * carries: the key hashes to the author's peer ID, so any member can check the signature.
 */
final class SignedMessage {

    /** Separates message signatures from anything else the same key signs. */
    private static final byte[] DOMAIN = "ringchat/message/1".getBytes(StandardCharsets.US_ASCII);

    final GroupId group;
    final MessageId id;
    final List<MessageId> parents;
    final byte[] authorKey;
    final long sentAtMillis;
    final List<OpHash> stateHeads;
    final String text;
    final byte[] signature;
    final PeerId author;

    private SignedMessage(GroupId group, MessageId id, List<MessageId> parents, byte[] authorKey,
                          long sentAtMillis, List<OpHash> stateHeads, String text, byte[] signature) {
        this.group = group;
        this.id = id;
        this.parents = List.copyOf(parents);
        this.authorKey = authorKey;
        this.sentAtMillis = sentAtMillis;
        this.stateHeads = List.copyOf(stateHeads);
        this.text = text;
        this.signature = signature;
        this.author = PeerId.fromPublicKey(authorKey);
    }

    static SignedMessage create(NodeIdentity identity, GroupId group, MessageId id, List<MessageId> parents,
                                Instant sentAt, List<OpHash> stateHeads, String text) {
        byte[] key = identity.publicKey();
        long millis = sentAt.toEpochMilli();
        byte[] signature = identity.sign(signedBytes(group, id, parents, key, millis, stateHeads, text));
        return new SignedMessage(group, id, parents, key, millis, stateHeads, text, signature);
    }

    boolean hasValidSignature(NodeIdentity crypto) {
        return crypto.verify(authorKey, signedBytes(group, id, parents, authorKey, sentAtMillis, stateHeads, text),
                signature);
    }

    Instant sentAt() {
        return Instant.ofEpochMilli(sentAtMillis);
    }

    private static byte[] signedBytes(GroupId group, MessageId id, List<MessageId> parents, byte[] authorKey,
                                      long sentAtMillis, List<OpHash> stateHeads, String text) {
        WireWriter w = new WireWriter().bytes(DOMAIN);
        writeContent(w, group, id, parents, authorKey, sentAtMillis, stateHeads, text);
        return w.toByteArray();
    }

    private static void writeContent(WireWriter w, GroupId group, MessageId id, List<MessageId> parents,
                                     byte[] authorKey, long sentAtMillis, List<OpHash> stateHeads, String text) {
        w.bytes(group.toBytes()).bytes(id.toBytes()).u16(parents.size());
        for (MessageId parent : parents) {
            w.bytes(parent.toBytes());
        }
        w.bytes(authorKey).i64(sentAtMillis).u16(stateHeads.size());
        for (OpHash head : stateHeads) {
            w.bytes(head.toBytes());
        }
        w.string(text);
    }

    /** The size of {@link #write(WireWriter)}'s output. */
    int encodedLength() {
        return GroupId.LENGTH + MessageId.LENGTH + 2 + parents.size() * MessageId.LENGTH + authorKey.length + 8
                + 2 + stateHeads.size() * OpHash.LENGTH + 4 + text.getBytes(StandardCharsets.UTF_8).length + signature.length;
    }

    void write(WireWriter w) {
        writeContent(w, group, id, parents, authorKey, sentAtMillis, stateHeads, text);
        w.bytes(signature);
    }

    static SignedMessage read(WireReader r) {
        GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
        MessageId id = MessageId.fromBytes(r.bytes(MessageId.LENGTH));
        int parentCount = r.count("parents", Limits.MAX_PARENTS);
        List<MessageId> parents = new ArrayList<>(parentCount);
        for (int i = 0; i < parentCount; i++) {
            parents.add(MessageId.fromBytes(r.bytes(MessageId.LENGTH)));
        }
        byte[] authorKey = r.bytes(NodeIdentity.PUBLIC_KEY_LENGTH);
        long sentAt = r.i64();
        int headCount = r.count("state heads", Limits.MAX_STATE_HEADS);
        List<OpHash> stateHeads = new ArrayList<>(headCount);
        for (int i = 0; i < headCount; i++) {
            stateHeads.add(OpHash.fromBytes(r.bytes(OpHash.LENGTH)));
        }
        String text = r.string("message text", Limits.MAX_TEXT_BYTES);
        byte[] signature = r.bytes(NodeIdentity.SIGNATURE_LENGTH);
        return new SignedMessage(group, id, parents, authorKey, sentAt, stateHeads, text, signature);
    }
}
