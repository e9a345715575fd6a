package org.ringchat.group.internal;

import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.state.messages.LegacyMessages;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/**
 * What this node keeps in memory of a message in its history: what the causal graph and the delivery
 * need. Its body (text, signature, the state it names) stays in the message log ({@link MessageHistory}).
 * Its delivery status is stored as a status record of the log: {@code [format 1][status][members u16]
 * [reached u16][missing u16][missing peer IDs]}; format 2, the same fields, says that the message is
 * {@linkplain #withdrawn withdrawn}.
 */
final class MessageRecord {

    private static final int STATUS_FORMAT = 1;
    private static final int WITHDRAWN_STATUS_FORMAT = 2;
    /** Records of earlier releases, kept whole in the store: the message, then its status. */
    private static final int LEGACY_FORMAT = 5;
    /** Before batch signatures: the message had no scheme byte (it was scheme 1). */
    private static final int LEGACY_FORMAT_WITHOUT_SCHEME = 4;
    /** Before 0.2: the members known to hold it were listed, not counted. */
    private static final int LEGACY_FORMAT_LISTING_REACHED = 3;

    private static final long[] NO_MORE_PARENTS = new long[0];

    /** Its group's own ID object, one for all the group's records; with {@link #sequence}, where the log holds it. */
    final GroupId group;
    /*
     * Its ID and its parents' as numbers, two to an ID, not as ID objects or a list: a node keeps a record per
     * message of its history, and each object of it outlived several young collections, each of which copied it
     * (docs/BENCHMARKS.md, session 23).
     */
    private final long idHigh;
    private final long idLow;
    /** Its first parent's ID, if it has any ({@link #parentCount}). */
    private final long firstParentHigh;
    private final long firstParentLow;
    /** The IDs of its other parents, two numbers each: none for most messages. */
    private final long[] moreParents;
    private final int parentCount;
    /** Its author; {@link MessageGraph} puts in one ID object per author. */
    PeerId author;
    final long sentAtMillis;
    /** Its place in the group's message log; set when it is appended. */
    long sequence;
    Delivery.Status status;
    /** How many members are known to hold it. */
    int reached;
    final int memberCount;
    /** Members known to have missed it, at most {@link Dissemination.Missing#MAX_LISTED}; none for most messages. */
    List<PeerId> missing = List.of();
    /**
     * Shown once, then no longer: its author was removed and no member that had not heard of it cited it
     * ({@link RemovedAuthors}). It stays in the graph and the log but is neither shown nor cited.
     */
    boolean withdrawn;
    /**
     * Kept here by {@link MessageGraph}, to spare it a map entry per message: one more than the highest of its
     * parents that were in the graph when it came (0 without any): a message lies above its parents, which
     * lets {@link MessageGraph#missingFor} stop where two histories meet.
     */
    int height;
    /** Kept here by {@link MessageGraph}: whether it and all its ancestors are in the graph. */
    boolean complete;
    /** Kept here by {@link Unconfirmed}: whether it is in the line of messages asked about, which holds it once. */
    boolean inUnconfirmedLine;
    /** The message itself while it is among the latest few ({@link MessageHistory}); null otherwise, as it is in the log. */
    SignedMessage body;

    /** @param group the group's own ID object, which the message's ({@code message.group}) equals */
    MessageRecord(GroupId group, SignedMessage message, Delivery.Status status, int reached, int memberCount) {
        this.group = group;
        this.idHigh = message.id.mostSignificantBits();
        this.idLow = message.id.leastSignificantBits();
        this.author = message.author;
        this.sentAtMillis = message.sentAtMillis;
        List<MessageId> parents = message.parents;
        this.parentCount = parents.size();
        this.firstParentHigh = parentCount == 0 ? 0 : parents.get(0).mostSignificantBits();
        this.firstParentLow = parentCount == 0 ? 0 : parents.get(0).leastSignificantBits();
        this.moreParents = parentCount <= 1 ? NO_MORE_PARENTS : new long[2 * (parentCount - 1)];
        for (int i = 1; i < parentCount; i++) {
            moreParents[2 * (i - 1)] = parents.get(i).mostSignificantBits();
            moreParents[2 * (i - 1) + 1] = parents.get(i).leastSignificantBits();
        }
        this.status = status;
        this.reached = reached;
        this.memberCount = memberCount;
    }

    /** Its ID: an object made when asked for. */
    MessageId id() {
        return MessageId.of(idHigh, idLow);
    }

    /** Whether this is the record of the message with that ID. */
    boolean is(MessageId id) {
        return idHigh == id.mostSignificantBits() && idLow == id.leastSignificantBits();
    }

    /** The first 8 bytes of its ID, as {@link MessageId#mostSignificantBits} has them. */
    long idHigh() {
        return idHigh;
    }

    /** The last 8 bytes of its ID. */
    long idLow() {
        return idLow;
    }

    int parentCount() {
        return parentCount;
    }

    /** Its parent number {@code i}, in the order its message names them. */
    MessageId parent(int i) {
        Objects.checkIndex(i, parentCount);
        return i == 0 ? MessageId.of(firstParentHigh, firstParentLow)
                : MessageId.of(moreParents[2 * (i - 1)], moreParents[2 * (i - 1) + 1]);
    }

    /** Its parents, in the order its message names them. */
    List<MessageId> parents() {
        MessageId[] parents = new MessageId[parentCount];
        for (int i = 0; i < parentCount; i++) {
            parents[i] = parent(i);
        }
        return List.of(parents);
    }

    /** Whether it names that message as a parent. */
    boolean hasParent(MessageId id) {
        for (int i = 0; i < parentCount; i++) {
            if (parent(i).equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** The group has been told how the message went round. */
    void confirm(Dissemination.Missing missed) {
        status = Delivery.Status.CONFIRMED;
        reached = Math.max(1, memberCount - missed.total());
        missing = List.copyOf(missed.listed());
    }

    /** Whom the message missed, as this record knows it. */
    Dissemination.Missing missed() {
        return new Dissemination.Missing(missedTotal(), missing);
    }

    int missedTotal() {
        return memberCount - reached;
    }

    /** The message as the API shows it, given its body from the log. */
    ChatMessage toChatMessage(SignedMessage body) {
        return new ChatMessage(body.group, id(), parents(), author, body.sentAt(), body.text(),
                new Delivery(status, reached, memberCount, missing.isEmpty() ? Set.of() : Set.copyOf(missing)));
    }

    byte[] encodeStatus() {
        WireWriter w = new WireWriter(8 + missing.size() * PeerId.LENGTH)
                .u8(withdrawn ? WITHDRAWN_STATUS_FORMAT : STATUS_FORMAT)
                .u8(status.ordinal()).u16(memberCount).u16(reached).u16(missing.size());
        if (!missing.isEmpty()) {
            missing.stream().sorted().forEach(p -> w.bytes(p.toBytes()));
        }
        return w.toByteArray();
    }

    /** A message read back from the log with its latest status. */
    static MessageRecord stored(GroupId group, SignedMessage message, long sequence, byte[] status) {
        WireReader r = new WireReader(status);
        int format = r.u8();
        if (format != STATUS_FORMAT && format != WITHDRAWN_STATUS_FORMAT) {
            throw new MalformedInputException("unknown delivery status format " + format);
        }
        MessageRecord record = readStatus(r, group, message);
        r.expectEnd();
        record.withdrawn = format == WITHDRAWN_STATUS_FORMAT;
        record.sequence = sequence;
        return record;
    }

    /**
     * Reads a message record of an earlier release (formats 3 to 5, a format byte first) as the log keeps
     * it: the message's bytes and its status record.
     *
     * @throws IllegalArgumentException if the record cannot be read
     */
    static LegacyMessages.Converted fromLegacy(byte[] bytes) {
        try {
            WireReader r = new WireReader(bytes);
            int format = r.u8();
            if (format != LEGACY_FORMAT && format != LEGACY_FORMAT_WITHOUT_SCHEME
                    && format != LEGACY_FORMAT_LISTING_REACHED) {
                throw new MalformedInputException("unknown stored message format " + format);
            }
            SignedMessage message = format == LEGACY_FORMAT ? SignedMessage.read(r) : SignedMessage.readWithoutScheme(r);
            MessageRecord record;
            if (format == LEGACY_FORMAT_LISTING_REACHED) {
                Delivery.Status status = readDeliveryStatus(r);
                int memberCount = r.u16();
                int reached = r.count("reached by", Limits.MAX_MEMBERS);
                r.bytes(reached * PeerId.LENGTH);
                record = new MessageRecord(message.group, message, status, reached, memberCount);
            } else {
                record = readStatus(r, message.group, message);
            }
            r.expectEnd();
            return new LegacyMessages.Converted(message.id, message.encode(), record.encodeStatus());
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Status, member count, reached, missing: as status records and legacy formats 4 and 5 hold them. */
    private static MessageRecord readStatus(WireReader r, GroupId group, SignedMessage message) {
        Delivery.Status status = readDeliveryStatus(r);
        int memberCount = r.u16();
        MessageRecord record = new MessageRecord(group, message, status, r.u16(), memberCount);
        int missing = r.count("missing", Dissemination.Missing.MAX_LISTED);
        PeerId[] listed = new PeerId[missing];
        for (int i = 0; i < missing; i++) {
            listed[i] = PeerId.fromBytes(r.bytes(PeerId.LENGTH));
        }
        record.missing = List.of(listed);
        return record;
    }

    private static Delivery.Status readDeliveryStatus(WireReader r) {
        Delivery.Status[] statuses = Delivery.Status.values();
        int status = r.u8();
        if (status >= statuses.length) {
            throw new MalformedInputException("unknown delivery status " + status);
        }
        return statuses[status];
    }
}
