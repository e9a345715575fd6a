package org.ringchat.group.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.PeerId;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/** A message in this node's history with what this node knows of its delivery; stored as is. */
final class MessageRecord {

    private static final int FORMAT = 5;
    /** Before batch signatures: the message had no scheme byte (it was scheme 1). */
    private static final int FORMAT_WITHOUT_SCHEME = 4;
    /** Before 0.2: the members known to hold it were listed, not counted. */
    private static final int FORMAT_LISTING_REACHED = 3;

    final SignedMessage message;
    final String storeKey;
    Delivery.Status status;
    /** How many members are known to hold it. */
    int reached;
    final int memberCount;
    /** Members known to have missed it, at most {@link Dissemination.Missing#MAX_LISTED}. */
    final Set<PeerId> missing = new HashSet<>();

    MessageRecord(SignedMessage message, String storeKey, Delivery.Status status, int reached, int memberCount) {
        this.message = message;
        this.storeKey = storeKey;
        this.status = status;
        this.reached = reached;
        this.memberCount = memberCount;
    }

    /** The group has been told how the message went round. */
    void confirm(Dissemination.Missing missed) {
        status = Delivery.Status.CONFIRMED;
        reached = Math.max(1, memberCount - missed.total());
        missing.clear();
        missing.addAll(missed.listed());
    }

    /** Whom the message missed, as this record knows it. */
    Dissemination.Missing missed() {
        return new Dissemination.Missing(memberCount - reached, List.copyOf(missing));
    }

    ChatMessage toChatMessage() {
        return new ChatMessage(message.group, message.id, message.parents, message.author, message.sentAt(),
                message.text, new Delivery(status, reached, memberCount, missing));
    }

    byte[] encode() {
        WireWriter w = new WireWriter(1 + message.encodedLength() + 7 + missing.size() * PeerId.LENGTH).u8(FORMAT);
        message.write(w);
        w.u8(status.ordinal()).u16(memberCount).u16(reached).u16(missing.size());
        missing.stream().sorted().forEach(p -> w.bytes(p.toBytes()));
        return w.toByteArray();
    }

    static MessageRecord decode(String storeKey, byte[] bytes) {
        WireReader r = new WireReader(bytes);
        int format = r.u8();
        if (format != FORMAT && format != FORMAT_WITHOUT_SCHEME && format != FORMAT_LISTING_REACHED) {
            throw new MalformedInputException("unknown stored message format " + format);
        }
        SignedMessage message = format == FORMAT ? SignedMessage.read(r) : SignedMessage.readWithoutScheme(r);
        Delivery.Status[] statuses = Delivery.Status.values();
        int status = r.u8();
        if (status >= statuses.length) {
            throw new MalformedInputException("unknown delivery status " + status);
        }
        int memberCount = r.u16();
        if (format == FORMAT_LISTING_REACHED) {
            int reached = r.count("reached by", Limits.MAX_MEMBERS);
            r.bytes(reached * PeerId.LENGTH);
            r.expectEnd();
            return new MessageRecord(message, storeKey, statuses[status], reached, memberCount);
        }
        MessageRecord record = new MessageRecord(message, storeKey, statuses[status], r.u16(), memberCount);
        int missing = r.count("missing", Dissemination.Missing.MAX_LISTED);
        for (int i = 0; i < missing; i++) {
            record.missing.add(PeerId.fromBytes(r.bytes(PeerId.LENGTH)));
        }
        r.expectEnd();
        return record;
    }
}
