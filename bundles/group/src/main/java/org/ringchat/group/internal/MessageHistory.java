package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.WARNING;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupId;
import org.ringchat.spi.StateStore;
import org.ringchat.state.messages.LegacyMessages;
import org.ringchat.state.messages.MessageLog;
import org.ringchat.state.messages.StoredMessage;
import org.ringchat.wire.MalformedInputException;

/**
 * The messages of this node's groups as stored, in the {@link MessageLog}: a new message is appended at
 * once and committed with the turn ({@link CommitTurn}); its listeners hear of it, and of each change of
 * its delivery, once committed. Memory holds each message's {@link MessageRecord} in its group's graph;
 * bodies are read from the log when needed, the most recent ones from a bounded cache.
 */
final class MessageHistory {

    private static final System.Logger LOG = System.getLogger(MessageHistory.class.getName());
    /** Bodies kept in memory: the recent messages whose statuses change while they go round. */
    private static final int KEPT_BODIES = 1024;
    /** Messages read from the log at a time when a group is loaded. */
    private static final int LOAD_PAGE = 1000;

    private final MessageLog log;
    private final StateStore store;
    private final CommitTurn turn;
    private final Events events;
    private final Unconfirmed unconfirmed;
    /**
     * The latest messages appended, which keep their bodies ({@link MessageRecord#body}), in a ring: the
     * oldest gives its body up as a new one comes. Looking one up is reading a field, and nothing is
     * hashed on a message's way.
     */
    private final MessageRecord[] withBodies = new MessageRecord[KEPT_BODIES];
    private int nextWithBody;
    private Consumer<MessageRecord> bodyDamaged = record -> { };

    /** @param unconfirmed told each message's status as it is stored or loaded */
    MessageHistory(MessageLog log, StateStore store, CommitTurn turn, Events events, Unconfirmed unconfirmed) {
        this.log = log;
        this.store = store;
        this.turn = turn;
        this.events = events;
        this.unconfirmed = unconfirmed;
    }

    /** Sets what to do when a message's record is found damaged in the log while the node runs (fetch it again). */
    void onBodyDamaged(Consumer<MessageRecord> action) {
        bodyDamaged = action;
    }

    /** Adds a message to a group's history. */
    MessageRecord append(Group group, SignedMessage message, Delivery.Status status, int reached) {
        MessageRecord record = new MessageRecord(group.info.id(), message, status, reached, group.info.members().size());
        record.sequence = log.append(record.group, message.id, message.encode(), record.encodeStatus());
        keepBody(record, message);
        group.graph.add(record);
        unconfirmed.statusOf(group.info.id(), record);
        turn.stored();
        told(record, message);
        return record;
    }

    /**
     * Stores a message's new delivery status, a small record of its own that leaves the message as it
     * is; it may wait for a later commit ({@link CommitTurn#statusStored}).
     */
    void statusChanged(Group group, MessageRecord record) {
        storeStatus(group, record);
        body(record).ifPresent(body -> told(record, body));
    }

    /**
     * A shown message is shown no longer ({@link RemovedAuthors}): stored as a status of its own, and its
     * listeners hear of it once committed.
     */
    void withdraw(Group group, MessageRecord record) {
        record.withdrawn = true;
        storeStatus(group, record);
        chatMessage(record).ifPresent(snapshot ->
                turn.afterCommit(() -> events.fire(l -> l.messageWithdrawn(snapshot))));
    }

    /** A withdrawn message shows again: for its listeners it is added to the history once more. */
    void restore(Group group, MessageRecord record) {
        record.withdrawn = false;
        statusChanged(group, record);
    }

    private void storeStatus(Group group, MessageRecord record) {
        log.updateStatus(group.info.id(), record.sequence, record.encodeStatus());
        unconfirmed.statusOf(group.info.id(), record);
        turn.statusStored();
    }

    private void told(MessageRecord record, SignedMessage body) {
        if (record.withdrawn) {
            return; // its delivery goes on, unseen
        }
        ChatMessage snapshot = record.toChatMessage(body);
        turn.afterCommit(() -> events.fire(l -> l.messageUpdated(snapshot)));
    }

    /** A message as the API shows it; empty if its record in the log was damaged since the node started. */
    Optional<ChatMessage> chatMessage(MessageRecord record) {
        return body(record).map(record::toChatMessage);
    }

    /** A group's messages as the API shows them, in history order: withdrawn ones are left out. */
    List<ChatMessage> all(Group group) {
        return latest(group, Integer.MAX_VALUE);
    }

    /** The last {@code count} of them: only their bodies are read from the log. */
    List<ChatMessage> latest(Group group, int count) {
        List<MessageRecord> ordered = group.graph.ordered();
        Deque<MessageRecord> page = new ArrayDeque<>();
        for (int i = ordered.size() - 1; i >= 0 && page.size() < count; i--) {
            if (!ordered.get(i).withdrawn) {
                page.addFirst(ordered.get(i));
            }
        }
        return page.stream().flatMap(r -> chatMessage(r).stream()).toList();
    }

    /** How many messages {@link #all} holds. */
    int size(Group group) {
        return (int) group.graph.ordered().stream().filter(r -> !r.withdrawn).count();
    }

    private void keepBody(MessageRecord record, SignedMessage body) {
        MessageRecord oldest = withBodies[nextWithBody];
        if (oldest != null) {
            oldest.body = null;
        }
        record.body = body;
        withBodies[nextWithBody] = record;
        nextWithBody = (nextWithBody + 1) % KEPT_BODIES;
    }

    /** The signed message as sent; empty if its record in the log was damaged since the node started. */
    Optional<SignedMessage> body(MessageRecord record) {
        if (record.body != null) {
            return Optional.of(record.body);
        }
        // A record found damaged now is reported by the log (a warning naming the file), and never served.
        Optional<SignedMessage> body = log.read(record.group, record.sequence, record.id()).map(MessageHistory::decode);
        if (body.isEmpty()) {
            bodyDamaged.accept(record);
        }
        return body;
    }

    /**
     * Reads a group's messages from the log into its graph, after moving those an earlier release kept in
     * the store (docs/STORAGE.md, "Migration"). Damaged records are reported by the log when it opens;
     * their messages are missing here, so the next catch-up fetches them again from the members.
     */
    void load(Group group) {
        GroupId id = group.info.id();
        new LegacyMessages(store, log, MessageRecord::fromLegacy).migrate(id);
        long after = -1;
        for (List<StoredMessage> page = log.after(id, after, LOAD_PAGE); !page.isEmpty();
             page = log.after(id, after, LOAD_PAGE)) {
            for (StoredMessage stored : page) {
                after = stored.sequence();
                try {
                    MessageRecord record = MessageRecord.stored(id, decode(stored), stored.sequence(), stored.status());
                    group.graph.add(record);
                    unconfirmed.statusOf(id, record);
                } catch (MalformedInputException e) {
                    LOG.log(WARNING, "skipped unreadable message {0} of group {1} in the message log: {2}",
                            stored.id(), id, e.getMessage());
                }
            }
        }
        long damaged = log.damaged().stream().filter(d -> id.equals(d.group())).count()
                + log.lostAtTail().stream().filter(d -> id.equals(d.group())).count();
        if (damaged > 0) {
            // Catching up from a member, as every start does, fetches them: they are missing from the graph.
            LOG.log(WARNING, "{0} messages of ''{1}'' were damaged or cut in the message log; they are fetched again "
                    + "from its members", damaged, group.info.name());
        }
    }

    private static SignedMessage decode(StoredMessage stored) {
        return SignedMessage.decode(stored.message());
    }
}
