package org.ringchat.group.internal;

import java.util.HashSet;
import java.util.Set;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.PeerId;

/** A message in this node's history with what this node knows of its delivery; stored as is. */
final class MessageRecord {

    private static final int FORMAT = 3;

    final SignedMessage message;
    final String storeKey;
    Delivery.Status status;
    final Set<PeerId> reachedBy;
    final int memberCount;

    MessageRecord(SignedMessage message, String storeKey, Delivery.Status status, Set<PeerId> reachedBy, int memberCount) {
        this.message = message;
        this.storeKey = storeKey;
        this.status = status;
        this.reachedBy = new HashSet<>(reachedBy);
        this.memberCount = memberCount;
    }

    ChatMessage toChatMessage() {
        return new ChatMessage(message.group, message.id, message.parents, message.author, message.sentAt(),
                message.text, new Delivery(status, reachedBy, memberCount));
    }

    byte[] encode() {
        WireWriter w = new WireWriter().u8(FORMAT);
        message.write(w);
        w.u8(status.ordinal()).u16(memberCount).u16(reachedBy.size());
        reachedBy.stream().sorted().forEach(p -> w.bytes(p.toBytes()));
        return w.toByteArray();
    }

    static MessageRecord decode(String storeKey, byte[] bytes) {
        WireReader r = new WireReader(bytes);
        if (r.u8() != FORMAT) {
            throw new MalformedInputException("unknown stored message format");
        }
        SignedMessage message = SignedMessage.read(r);
        Delivery.Status[] statuses = Delivery.Status.values();
        int status = r.u8();
        if (status >= statuses.length) {
            throw new MalformedInputException("unknown delivery status " + status);
        }
        int memberCount = r.u16();
        int reached = r.count("reached by", Limits.MAX_MEMBERS);
        Set<PeerId> reachedBy = new HashSet<>();
        for (int i = 0; i < reached; i++) {
            reachedBy.add(PeerId.fromBytes(r.bytes(PeerId.LENGTH)));
        }
        r.expectEnd();
        return new MessageRecord(message, storeKey, statuses[status], reachedBy, memberCount);
    }
}
