package org.ringchat.web.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
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
import org.ringchat.api.RingchatException;

/** A {@link GroupChat} whose state the test sets; it records what was asked of it. */
class FakeChat implements GroupChat {

    static PeerAddress address(int i) {
        return new PeerAddress(PeerId.fromPublicKey(new byte[] {(byte) i}), "127.0.0.1", 7400 + i);
    }

    final PeerAddress me = address(1);
    final List<GroupInfo> groups = new ArrayList<>();
    final Map<GroupId, List<ChatMessage>> histories = new HashMap<>();
    final Map<PeerId, Presence> presence = new HashMap<>();
    final Map<MessageId, MessageTrace> traces = new HashMap<>();
    final List<JoinRequest> joinRequests = new ArrayList<>();
    final List<GroupChatListener> listeners = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    CompletionStage<ChatMessage> nextSend = new CompletableFuture<>();
    CompletionStage<GroupInfo> nextInvite = new CompletableFuture<>();

    /** A group of the members given (the first is this node, an owner), added to the groups. */
    GroupInfo group(String name, PeerAddress... others) {
        List<Member> members = new ArrayList<>();
        members.add(new Member(me, true));
        for (PeerAddress other : others) {
            members.add(new Member(other, false));
        }
        GroupInfo group = new GroupInfo(GroupId.fromBytes(java.util.Arrays.copyOf(name.getBytes(), 32)), name, members, 1);
        groups.add(group);
        histories.put(group.id(), new ArrayList<>());
        return group;
    }

    ChatMessage message(GroupInfo group, PeerAddress author, String text, Delivery delivery) {
        ChatMessage m = new ChatMessage(group.id(), MessageId.fromBytes(java.util.Arrays.copyOf(text.getBytes(), 16)),
                List.of(), author.peerId(), Instant.parse("2026-11-25T10:00:00Z"), text, delivery);
        histories.get(group.id()).add(m);
        return m;
    }

    static Delivery confirmed(int n) {
        return new Delivery(Delivery.Status.CONFIRMED, n, n, Set.of());
    }

    @Override
    public PeerAddress localAddress() {
        return me;
    }

    @Override
    public GroupInfo createGroup(String name) {
        calls.add("create " + name);
        if (name.isBlank()) {
            throw new RingchatException("a group needs a name");
        }
        return group(name);
    }

    @Override
    public CompletionStage<GroupInfo> invite(GroupId group, PeerAddress invitee) {
        calls.add("invite " + invitee);
        return nextInvite;
    }

    @Override
    public CompletionStage<Void> requestJoin(PeerAddress member, GroupId group) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public List<JoinRequest> joinRequests() {
        return List.copyOf(joinRequests);
    }

    @Override
    public CompletionStage<GroupInfo> acceptJoin(GroupId group, PeerId requester) {
        calls.add("accept " + requester.shortText());
        return nextInvite;
    }

    @Override
    public void rejectJoin(GroupId group, PeerId requester) {
        calls.add("reject " + requester.shortText());
    }

    @Override
    public void leave(GroupId group) {
    }

    @Override
    public GroupInfo remove(GroupId group, PeerId member) {
        throw new UnsupportedOperationException();
    }

    @Override
    public GroupInfo setOwner(GroupId group, PeerId member, boolean owner) {
        throw new UnsupportedOperationException();
    }

    @Override
    public GroupInfo rename(GroupId group, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<GroupInfo> groups() {
        return List.copyOf(groups);
    }

    @Override
    public GroupInfo findGroup(String nameOrIdPrefix) {
        throw new UnsupportedOperationException("the web API names groups by their whole ID");
    }

    @Override
    public CompletionStage<ChatMessage> send(GroupId group, String text) {
        calls.add("send " + text);
        if (text.isBlank()) {
            throw new RingchatException("nothing to send: the message is empty");
        }
        return nextSend;
    }

    @Override
    public List<ChatMessage> history(GroupId group) {
        return List.copyOf(histories.get(group));
    }

    @Override
    public Presence presence(PeerId peer) {
        return peer.equals(me.peerId()) ? Presence.ONLINE : presence.getOrDefault(peer, Presence.UNKNOWN);
    }

    /** The web binds the topology service itself, the one the engine uses too. */
    @Override
    public Optional<String> topology() {
        throw new UnsupportedOperationException("the web asks the Topology service, not GroupChat, which topology is in use");
    }

    @Override
    public Optional<MessageTrace> trace(GroupId group, MessageId message) {
        return Optional.ofNullable(traces.get(message));
    }

    @Override
    public void addListener(GroupChatListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(GroupChatListener listener) {
        listeners.remove(listener);
    }
}
