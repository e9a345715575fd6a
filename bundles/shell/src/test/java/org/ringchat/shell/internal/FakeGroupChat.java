package org.ringchat.shell.internal;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.GroupChat;
import org.ringchat.api.GroupChatListener;
import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.JoinRequest;
import org.ringchat.api.Member;
import org.ringchat.api.MessageId;
import org.ringchat.api.MessageTrace;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.Presence;
import org.ringchat.api.Reachability;
import org.ringchat.api.RingchatException;

/**
 * A {@link GroupChat} of one group, "friends" (this node and a friend), whose answers the tests set: what
 * {@code send} returns, the history; it records the texts sent and the listeners added.
 */
class FakeGroupChat implements GroupChat {

    static final SecureRandom RANDOM = new SecureRandom();
    final PeerAddress me = new PeerAddress(PeerId.fromPublicKey(new byte[] {1}), "127.0.0.1", 7401);
    final PeerAddress friend = new PeerAddress(PeerId.fromPublicKey(new byte[] {2}), "127.0.0.1", 7402);
    final PeerAddress stranger = new PeerAddress(PeerId.fromPublicKey(new byte[] {3}), "127.0.0.1", 7403);
    final GroupInfo group = new GroupInfo(GroupId.random(RANDOM), "friends",
            List.of(new Member(me, true), new Member(friend, false)), 2);
    final List<GroupInfo> groups = new ArrayList<>(List.of(group));
    final List<ChatMessage> history = new ArrayList<>();
    CompletionStage<ChatMessage> nextSend = new CompletableFuture<>();
    Reachability reachability = Reachability.unknown("nobody dialled back yet");

    final List<String> sent = new ArrayList<>();
    final List<GroupChatListener> listeners = new ArrayList<>();

    @Override
    public Reachability reachability() {
        return reachability;
    }

    @Override
    public java.util.Optional<String> topology() {
        return java.util.Optional.of("ring");
    }

    @Override
    public java.util.Optional<MessageTrace> trace(GroupId group, MessageId message) {
        return java.util.Optional.empty();
    }

    @Override
    public PeerAddress localAddress() {
        return me;
    }

    @Override
    public GroupInfo createGroup(String name) {
        return new GroupInfo(group.id(), name, List.of(new Member(me, true)), 1);
    }

    @Override
    public CompletionStage<GroupInfo> invite(GroupId id, PeerAddress invitee) {
        return CompletableFuture.failedFuture(new RingchatException("no answer from " + invitee + " within 10 s"));
    }

    @Override
    public CompletionStage<Void> requestJoin(PeerAddress member, GroupId id) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public List<JoinRequest> joinRequests() {
        return List.of(new JoinRequest(group.id(), group.name(), stranger, friend.peerId(),
                Instant.parse("2026-11-25T10:00:00Z")));
    }

    @Override
    public CompletionStage<GroupInfo> acceptJoin(GroupId id, PeerId requester) {
        return CompletableFuture.completedFuture(new GroupInfo(group.id(), group.name(),
                List.of(new Member(me, true), new Member(friend, false), new Member(stranger, false)), 3));
    }

    @Override
    public void rejectJoin(GroupId id, PeerId requester) {
    }

    @Override
    public void leave(GroupId id) {
    }

    @Override
    public GroupInfo remove(GroupId id, PeerId member) {
        return new GroupInfo(group.id(), group.name(), List.of(new Member(me, true)), 3);
    }

    @Override
    public GroupInfo setOwner(GroupId id, PeerId member, boolean owner) {
        return group;
    }

    @Override
    public GroupInfo rename(GroupId id, String name) {
        return new GroupInfo(group.id(), name, group.members(), 3);
    }

    @Override
    public List<GroupInfo> groups() {
        return groups;
    }

    @Override
    public GroupInfo findGroup(String ref) {
        if (!ref.equals("friends") && !group.id().toString().startsWith(ref)) {
            throw new RingchatException("no group named '" + ref + "'");
        }
        return group;
    }

    @Override
    public CompletionStage<ChatMessage> send(GroupId id, String text) {
        sent.add(text);
        return nextSend;
    }

    @Override
    public List<ChatMessage> history(GroupId id) {
        return history;
    }

    @Override
    public Presence presence(PeerId peer) {
        return peer.equals(me.peerId()) ? Presence.ONLINE : Presence.OFFLINE;
    }

    @Override
    public void addListener(GroupChatListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(GroupChatListener listener) {
    }
    }
