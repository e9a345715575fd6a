package org.ringchat.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.Reachability;
import org.ringchat.api.RingchatException;
import org.ringchat.shell.commands.ChatCommands;

class ChatCommandsTest {

    private final FakeGroupChat chat = new FakeGroupChat();
    private final PeerAddress me = chat.me;
    private final PeerAddress friend = chat.friend;
    private final PeerAddress stranger = chat.stranger;
    private final GroupInfo group = chat.group;
    private final List<ChatMessage> history = chat.history;
    private static final SecureRandom RANDOM = FakeGroupChat.RANDOM;

    private final ChatCommands commands = new ChatCommands(chat, Duration.ofMillis(50), ZoneOffset.UTC);

    @Test
    void idIsTheAddressOnItsOwnLine() {
        assertEquals(List.of(me.toString()), commands.id());
    }

    @Test
    void idSaysWhenOthersCannotDialThisNodeAndThroughWhomTheyReachIt() {
        chat.reachability = new Reachability(Reachability.Status.NOT_DIALABLE, List.of(friend.peerId()),
                "x could not dial it: Connection refused");

        assertEquals(List.of(me.toString(), "others cannot dial this node (x could not dial it: Connection refused); "
                + "they reach it through " + friend.peerId().shortText()), commands.id());
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
                commands.send("friends", "hello world"));
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
        assertEquals("no answer from " + friend + " within 10 s; if nobody can dial it (a NAT, a firewall), it asks to "
                + "join instead: join " + chat.localAddress() + " " + chat.findGroup("friends").id(),
                assertThrows(RingchatException.class, () -> commands.invite("friends", friend.toString())).getMessage());
        RingchatException bad = assertThrows(RingchatException.class, () -> commands.invite("friends", "not-an-address"));
        assertEquals("an address looks like <peerId>@<host>:<port>, not: not-an-address", bad.getMessage());
    }

    @Test
    void anUnreachablePeerIsNamedOnceWithoutTheTransportsRetryPlan() {
        String address = friend.toString();
        assertEquals("cannot reach " + address + ": Connection refused", ChatCommands.forOneShot("cannot reach " + address
                + ": cannot connect to " + address + ": Connection refused: /127.0.0.1:7402; next attempt in 100 ms"));
        assertEquals("cannot reach " + address + ": Connection refused", ChatCommands.forOneShot("cannot reach " + address
                + ": cannot connect to " + address + ": last attempt failed: Connection refused: /127.0.0.1:7402;"
                + " next attempt in 87 ms"));
        assertEquals("no answer from " + address + " within 10 s", ChatCommands.forOneShot("no answer from " + address + " within 10 s"));
    }
}
