package org.ringchat.group.internal;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;

/**
 * The messages of this node's groups as stored: a new message is stored at once and committed with the
 * turn ({@link CommitTurn}); its listeners hear of it, and of each change of its delivery, once committed.
 */
final class MessageHistory {

    private final CommitTurn turn;
    private final Events events;

    MessageHistory(CommitTurn turn, Events events) {
        this.turn = turn;
        this.events = events;
    }

    /** Adds a message to a group's history. */
    MessageRecord append(Group group, SignedMessage message, Delivery.Status status, int reached) {
        MessageRecord record = new MessageRecord(message, String.format("%016x", group.nextSeq++), status, reached,
                group.info.members().size());
        group.graph.add(record);
        turn.stored();
        put(group, record);
        return record;
    }

    /** Stores a message's new delivery status; it may wait for a later commit ({@link CommitTurn#statusStored}). */
    void statusChanged(Group group, MessageRecord record) {
        turn.statusStored();
        put(group, record);
    }

    private void put(Group group, MessageRecord record) {
        group.messages.put(record.storeKey, record.encode());
        ChatMessage snapshot = record.toChatMessage();
        turn.afterCommit(() -> events.fire(l -> l.messageUpdated(snapshot)));
    }
}
