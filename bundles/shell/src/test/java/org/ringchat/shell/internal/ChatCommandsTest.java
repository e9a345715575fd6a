package org.ringchat.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;
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

class ChatCommandsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final PeerAddress me = new PeerAddress(PeerId.fromPublicKey(new byte[] {1}), "127.0.0.1", 7401);
    private final PeerAddress friend = new PeerAddress(PeerId.fromPublicKey(new byte[] {2}), "127.0.0.1", 7402);
    private final PeerAddress stranger = new PeerAddress(PeerId.fromPublicKey(new byte[] {3}), "127.0.0.1", 7403);
    private final GroupInfo group = new GroupInfo(GroupId.random(RANDOM), "friends",
            List.of(new Member(me, true), new Member(friend, false)), 2);
    private final List<ChatMessage> history = new ArrayList<>();
    private CompletionStage<ChatMessage> nextSend = new CompletableFuture<>();

    private final GroupChat chat = new GroupChat() {
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
            return List.of(group);
        }

        @Override
        public GroupInfo findGroup(String ref) {
            if (!ref.equals("friends")) {
                throw new RingchatException("no group named '" + ref + "'");
            }
            return group;
        }

        @Override
        public CompletionStage<ChatMessage> send(GroupId id, String text) {
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
        }

        @Override
        public void removeListener(GroupChatListener listener) {
        }
    };

    private final ChatCommands commands = new ChatCommands(chat, Duration.ofMillis(50), ZoneOffset.UTC);

    @Test
    void idIsTheAddressOnItsOwnLine() {
        assertEquals(List.of(me.toString()), commands.id());
    }

    @Test
    void createInvitesThePeersGivenAndReportsEach() {
        assertEquals(List.of(group.id().toString(), "could not invite " + friend.peerId().shortText()
                + ": no answer from " + friend + " within 10 s"), commands.create("friends", List.of(friend.toString())));
        assertThrows(RingchatException.class, () -> commands.create("friends", List.of("nonsense")));
    }

    @Test
    void topologyNamesTheOneInUse() {
        assertEquals(List.of("ring"), commands.topology());
    }

    @Test
    void groupsAndMembersAreOneLineEach() {
        assertEquals(List.of(group.id() + "  friends  2 members"), commands.groups());
        assertEquals(List.of(me + "  owner  online  (me)", friend + "  member  offline"), commands.members("friends"));
    }

    @Test
    void historyShowsTimeAuthorTextAndDelivery() {
        Instant at = Instant.parse("2026-11-25T10:15:30Z");
        history.add(new ChatMessage(group.id(), MessageId.random(RANDOM), List.of(), me.peerId(), at, "hi\nthere",
                new Delivery(Delivery.Status.CONFIRMED, 2, 2, Set.of())));
        history.add(new ChatMessage(group.id(), MessageId.random(RANDOM), List.of(), friend.peerId(), at, "hello",
                new Delivery(Delivery.Status.RECEIVED, 0, 2, Set.of())));
        history.add(new ChatMessage(group.id(), MessageId.random(RANDOM), List.of(), me.peerId(), at, "anyone?",
                new Delivery(Delivery.Status.CONFIRMED, 1, 2, Set.of(friend.peerId()))));
        assertEquals(List.of(
                "2026-11-25 10:15:30  me  hi there  [confirmed 2/2]",
                "2026-11-25 10:15:30  " + friend.peerId().shortText() + "  hello  [received]",
                "2026-11-25 10:15:30  me  anyone?  [confirmed 1/2, missing " + friend.peerId().shortText() + "]"),
                commands.history("friends"));
    }

    @Test
    void aSendNobodyTookYetSaysSo() {
        assertEquals(List.of("sent, but no member has taken it yet; it will be offered again (see 'history')"),
                commands.send("friends", List.of("hello", "world")));
    }

    @Test
    void membersAreNamedByTheStartOfTheirId() {
        assertEquals(List.of("removed " + friend.peerId().shortText() + " from 'friends', now 1 members"),
                commands.kick("friends", friend.peerId().toString().substring(0, 6)));
        assertEquals(List.of("renamed 'friends' to 'best friends'"), commands.rename("friends", "best friends"));
        RingchatException e = assertThrows(RingchatException.class, () -> commands.kick("friends", "zzzz"));
        assertEquals("no member of 'friends' has an ID starting with 'zzzz'; see 'members'", e.getMessage());
    }

    @Test
    void joinRequestsAreListedAndDecidedByTheStartOfTheRequestersId() {
        assertEquals(List.of("2026-11-25 10:00:00  friends  " + stranger + "  via " + friend.peerId().shortText()),
                commands.requests());
        assertEquals(List.of(stranger.peerId().shortText() + " joined 'friends', now 3 members"),
                commands.accept("friends", stranger.peerId().toString().substring(0, 5)));
        assertEquals(List.of("declined the request of " + stranger.peerId().shortText() + " to join 'friends'"),
                commands.reject("friends", stranger.toString()));
        assertThrows(RingchatException.class, () -> commands.join(friend.toString(), "abc"));
        assertEquals(List.of("asked " + friend.peerId().shortText() + " to let this node into group " + group.id()
                + "; an owner will decide"), commands.join(friend.toString(), group.id().toString()));
    }

    @Test
    void errorsAreOneClearLine() {
        assertEquals("no group named 'nope'", assertThrows(RingchatException.class, () -> commands.history("nope")).getMessage());
        assertEquals("no answer from " + friend + " within 10 s",
                assertThrows(RingchatException.class, () -> commands.invite("friends", friend.toString())).getMessage());
        RingchatException bad = assertThrows(RingchatException.class, () -> commands.invite("friends", "not-an-address"));
        assertEquals("an address looks like <peerId>@<host>:<port>, not: not-an-address", bad.getMessage());
    }
}
