package org.ringchat.group.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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
    /**
     * Per group, in the order they are next asked about, each with since when it waits. Every message another
     * member writes comes in here and goes once confirmed, so a confirmation does not look it up: a message
     * confirmed meanwhile is dropped when the line is next walked ({@link #due}), or when it has grown to twice
     * the most kept.
     */
    private final Map<GroupId, ArrayDeque<Waiting>> waiting = new HashMap<>();

    private record Waiting(MessageRecord record, long since) {
    }

    Unconfirmed(PeerId self, LongSupplier clock) {
        this.self = self;
        this.clock = clock;
    }

    /** Takes a message's status as stored: kept while it is unconfirmed here; once it is not, dropped from the line later. */
    void statusOf(GroupId group, MessageRecord record) {
        if (record.inUnconfirmedLine || record.author.equals(self) || !isUnconfirmed(record)) {
            return; // in line already, this node's own (it is the one that confirms them), or confirmed
        }
        ArrayDeque<Waiting> line = waiting.computeIfAbsent(group, g -> new ArrayDeque<>());
        line.add(new Waiting(record, clock.getAsLong()));
        record.inUnconfirmedLine = true;
        if (line.size() > 2 * MAX_PER_GROUP) {
            trim(line);
        }
    }

    void forget(GroupId group, MessageId id) {
        ArrayDeque<Waiting> line = waiting.get(group);
        if (line != null) {
            line.removeIf(w -> {
                boolean forgotten = w.record.is(id);
                w.record.inUnconfirmedLine &= !forgotten;
                return forgotten;
            });
        }
    }

    /**
     * Up to {@code max} messages of a group that have waited since {@code before} or longer; they go to the
     * back of the line, so that messages that never get a confirmation do not keep the others from being asked.
     */
    List<MessageId> due(GroupId group, long before, int max) {
        ArrayDeque<Waiting> line = waiting.get(group);
        if (line == null) {
            return List.of();
        }
        trim(line);
        List<Waiting> due = new ArrayList<>();
        for (Iterator<Waiting> walk = line.iterator(); walk.hasNext() && due.size() < max; ) {
            Waiting next = walk.next();
            if (!isUnconfirmed(next.record)) {
                walk.remove();
                next.record.inUnconfirmedLine = false;
            } else if (next.since <= before) {
                walk.remove();
                due.add(next);
            }
        }
        line.addAll(due);
        return due.stream().map(w -> w.record.id()).toList();
    }

    int size(GroupId group) {
        ArrayDeque<Waiting> line = waiting.get(group);
        if (line == null) {
            return 0;
        }
        trim(line);
        return line.size();
    }

    /** Drops the messages confirmed meanwhile, then the oldest beyond {@link #MAX_PER_GROUP}. */
    private void trim(ArrayDeque<Waiting> line) {
        line.removeIf(w -> {
            boolean confirmed = !isUnconfirmed(w.record);
            w.record.inUnconfirmedLine &= !confirmed;
            return confirmed;
        });
        while (line.size() > MAX_PER_GROUP) {
            line.poll().record.inUnconfirmedLine = false;
        }
    }

    private boolean isUnconfirmed(MessageRecord record) {
        return !record.withdrawn && (record.status == Delivery.Status.RECEIVED
                || record.status == Delivery.Status.CONFIRMED && record.missing.contains(self));
    }
}
