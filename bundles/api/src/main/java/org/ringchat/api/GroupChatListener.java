package org.ringchat.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives events from {@link GroupChat}. In OSGi, register it as a service: the node picks up every
 * {@code GroupChatListener} service (the whiteboard pattern); elsewhere, add it with
 * {@link GroupChat#addListener}. Called on the engine's thread: return quickly.
 */
@ConsumerType
public interface GroupChatListener {

    /** A message was added to a group's history, or its delivery changed. */
    default void messageUpdated(ChatMessage message) {
    }

    /**
     * A message of a group's history is shown no longer: its author has been removed from the group, and
     * no member that had not heard of the removal took it up, so members that heard of the removal first
     * never showed it (docs/PROTOCOL.md, "Relay"). It is left out of {@link GroupChat#history} from now on;
     * should a member that had not heard of the removal cite it later, it comes back by
     * {@link #messageUpdated}. Since 2.4.
     */
    default void messageWithdrawn(ChatMessage message) {
    }

    /** A group was created, joined or changed. */
    default void groupUpdated(GroupInfo group) {
    }

    /**
     * This node is no longer a member of a group: an owner removed it, perhaps while it was offline, and it
     * learned so from a member. It no longer sends into the group, whose history stays readable
     * ({@link GroupChat#history}); {@code group} is the state that no longer lists it. Since 2.3.
     */
    default void removedFrom(GroupInfo group) {
    }

    /** A peer asks to join a group this node owns; see {@link GroupChat#joinRequests()}. */
    default void joinRequested(JoinRequest request) {
    }

    /**
     * A member of one of this node's groups came online, or went offline (it said so, or it no longer
     * answers); since 2.2.
     */
    default void presenceChanged(PeerId member, Presence presence) {
    }

    /** An owner declined this node's request to join a group. */
    default void joinDeclined(GroupId group, PeerId owner) {
    }

    /**
     * This node is catching up on a group's messages it missed, for instance after being offline.
     *
     * @param received the messages received so far in this catch-up
     * @param total    the messages it expects in all, as far as it knows yet
     */
    default void catchingUp(GroupInfo group, long received, long total) {
    }
}
