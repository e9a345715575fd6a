package org.ringchat.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives events from {@link GroupChat}. Called on the engine's thread: return quickly.
 */
@ConsumerType
public interface GroupChatListener {

    /** A message was added to a group's history, or its delivery changed. */
    default void messageUpdated(ChatMessage message) {
    }

    /** A group was created, joined or changed. */
    default void groupUpdated(GroupInfo group) {
    }
}
