package org.ringchat.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The group chat of this node: the service the shell, the web UI and embedders use.
 * Methods that involve other peers return a {@link CompletionStage}; the rest answer from local state.
 * Errors are {@link RingchatException}s with a one-line message for the user.
 */
@ProviderType
public interface GroupChat {

    /** The most bytes a message's text may have, in UTF-8; {@link #send(GroupId, String)} refuses more. */
    int MAX_TEXT_BYTES = 16 * 1024;

    /** This node's address, {@code <peerId>@<host>:<port>}, for others to invite it. */
    PeerAddress localAddress();

    /**
     * Whether others can dial this node at {@link #localAddress()}, and through which members they reach it
     * when they cannot; a node whose transport does not check says it does not know.
     *
     * @since 2.3
     */
    default Reachability reachability() {
        return Reachability.unknown("this node does not check whether others can dial it");
    }

    /** Creates a group with this node as its only member and owner. */
    GroupInfo createGroup(String name);

    /**
     * Invites a peer into a group this node owns. Completes when the invitee has acknowledged and the
     * new state has been sent to the members; fails when the invitee does not answer in time.
     */
    CompletionStage<GroupInfo> invite(GroupId group, PeerAddress invitee);

    /**
     * Asks a member of a group to let this node in: the member passes the request to the group's owners,
     * one of whom decides; an acceptance arrives as an invitation. Completes when the member has passed
     * the request on; fails when it is not a member of that group or cannot be reached.
     */
    CompletionStage<Void> requestJoin(PeerAddress member, GroupId group);

    /** The join requests waiting for this node's decision, in the groups it owns, oldest first. */
    List<JoinRequest> joinRequests();

    /** Accepts a join request: invites the requester. Completes as {@link #invite} does. */
    CompletionStage<GroupInfo> acceptJoin(GroupId group, PeerId requester);

    /** Declines a join request; the requester is told. */
    void rejectJoin(GroupId group, PeerId requester);

    /** Leaves a group: the members are told, and this node forgets the group. */
    void leave(GroupId group);

    /** Removes a member from a group this node owns; the members, the removed one included, are told. */
    GroupInfo remove(GroupId group, PeerId member);

    /** Makes a member an owner, or an owner a plain member; needs an owner. */
    GroupInfo setOwner(GroupId group, PeerId member, boolean owner);

    /** Renames a group; needs an owner. */
    GroupInfo rename(GroupId group, String name);

    /** The groups this node is a member of, ordered by name. */
    List<GroupInfo> groups();

    /**
     * Finds a group by its name or by a unique prefix of its ID: among the groups this node is in, then (since
     * 2.3) among those it was removed from or left, whose {@link #history} stays readable.
     */
    GroupInfo findGroup(String nameOrIdPrefix);

    /**
     * Sends a text message. Completes when the next available member has acknowledged it;
     * {@link #history(GroupId)} shows its group confirmation once it has come back around. Does not
     * wait for the node: an empty text, or one over {@link #MAX_TEXT_BYTES}, throws at once, while a group this node is not in
     * completes the stage exceptionally.
     */
    CompletionStage<ChatMessage> send(GroupId group, String text);

    /** The group's messages in the order this node received them. */
    List<ChatMessage> history(GroupId group);

    /**
     * The last {@code count} messages of {@link #history(GroupId)}, in the same order: a page, which a node
     * reads from its disk without reading the whole history.
     *
     * @since 2.3
     */
    default List<ChatMessage> latestHistory(GroupId group, int count) {
        List<ChatMessage> all = history(group);
        return all.subList(Math.max(0, all.size() - count), all.size());
    }

    /**
     * How many messages {@link #history(GroupId)} holds, without reading them.
     *
     * @since 2.3
     */
    default int historySize(GroupId group) {
        return history(group).size();
    }

    /** Whether a peer is reachable, as far as this node can tell; this node itself is always online. */
    Presence presence(PeerId peer);

    /**
     * The name of the topology this node spreads messages by (e.g. {@code ring} or {@code tree}), or
     * empty while none is available: messages then wait until one is.
     */
    java.util.Optional<String> topology();

    /**
     * The hops of a recent message as this node saw them (see {@link MessageTrace}), or empty when this
     * node has not handled that message since it started, or has forgotten it.
     *
     * @since 2.1
     */
    java.util.Optional<MessageTrace> trace(GroupId group, MessageId message);

    /**
     * Adds a listener by hand, for a node wired without OSGi; in OSGi, register the listener as a
     * {@link GroupChatListener} service instead, and the node picks it up.
     */
    void addListener(GroupChatListener listener);

    /** Removes a listener added by {@link #addListener}. */
    void removeListener(GroupChatListener listener);
}
