package org.ringchat.api;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A text message of a group.
 *
 * @param group    the group it belongs to
 * @param id       its random ID
 * @param previous the message its author saw last in the group, if any
 * @param author   who wrote and signed it
 * @param sentAt   the author's clock when it was written
 * @param text     the text
 * @param delivery how far it got
 */
public record ChatMessage(GroupId group, MessageId id, Optional<MessageId> previous, PeerId author,
                          Instant sentAt, String text, Delivery delivery) {

    public ChatMessage {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(delivery, "delivery");
    }
}
