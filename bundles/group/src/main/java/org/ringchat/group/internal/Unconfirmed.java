package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.ringchat.api.Delivery;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;

/**
 * Other members' messages this member holds without a confirmation it can show as final: none came (it was
 * lost, or sent before this member could be reached), or the one that came names this member missing. They
 * are what {@link ConfirmationRepair} asks a linked member about.
 */
final class Unconfirmed {

    /**
     * The most messages kept per group, the oldest going first: an author that crashed before its message went
     * round never confirms it, and its messages must not pile up.
     */
    static final int MAX_PER_GROUP = 4096;

    private final PeerId self;
    private final LongSupplier clock;
    /** Per group, in the order they are next asked about: message → since when it waits. */
    private final Map<GroupId, LinkedHashMap<MessageId, Long>> waiting = new HashMap<>();

    Unconfirmed(PeerId self, LongSupplier clock) {
        this.self = self;
        this.clock = clock;
    }

    /** Takes a message's status as stored: kept while it is unconfirmed here, dropped once it is not. */
    void statusOf(GroupId group, MessageRecord record) {
        if (record.author.equals(self)) {
            return; // this node's own: it is the one that confirms them
        }
        if (isUnconfirmed(record)) {
            LinkedHashMap<MessageId, Long> messages = waiting.computeIfAbsent(group, g -> new LinkedHashMap<>());
            if (messages.putIfAbsent(record.id, clock.getAsLong()) == null && messages.size() > MAX_PER_GROUP) {
                Iterator<MessageId> oldest = messages.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        } else {
            forget(group, record.id);
        }
    }

    void forget(GroupId group, MessageId id) {
        LinkedHashMap<MessageId, Long> messages = waiting.get(group);
        if (messages != null) {
            messages.remove(id);
        }
    }

    /**
     * Up to {@code max} messages of a group that have waited since {@code before} or longer; they go to the
     * back of the line, so that messages that never get a confirmation do not keep the others from being asked.
     */
    List<MessageId> due(GroupId group, long before, int max) {
        LinkedHashMap<MessageId, Long> messages = waiting.get(group);
        if (messages == null) {
            return List.of();
        }
        List<MessageId> due = new ArrayList<>();
        for (Map.Entry<MessageId, Long> entry : messages.entrySet()) {
            if (due.size() == max) {
                break;
            }
            if (entry.getValue() <= before) {
                due.add(entry.getKey());
            }
        }
        due.forEach(id -> messages.put(id, messages.remove(id)));
        return due;
    }

    int size(GroupId group) {
        LinkedHashMap<MessageId, Long> messages = waiting.get(group);
        return messages == null ? 0 : messages.size();
    }

    private boolean isUnconfirmed(MessageRecord record) {
        return !record.withdrawn && (record.status == Delivery.Status.RECEIVED
                || record.status == Delivery.Status.CONFIRMED && record.missing.contains(self));
    }
}
