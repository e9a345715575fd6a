package org.ringchat.api;

import java.time.Instant;
import java.util.Objects;
import java.util.List;

/**
 * A text message of a group.
 *
 * @param group    the group it belongs to
 * @param id       its random ID
 * @param parents  the latest messages its author had in the group when writing it (none for the first):
 *                 the history is ordered so that a message comes after its parents
 * @param author   who wrote and signed it
 * @param sentAt   the author's clock when it was written
 * @param text     the text
 * @param delivery how far it got
 */
public record ChatMessage(GroupId group, MessageId id, List<MessageId> parents, PeerId author,
                          Instant sentAt, String text, Delivery delivery) {

    public ChatMessage {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(id, "id");
        parents = List.copyOf(parents);
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(delivery, "delivery");
    }
}
