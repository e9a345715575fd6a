package org.ringchat.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.JoinRequest;
import org.ringchat.api.Member;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.api.Presence;

class LiveEventsTest {

    private final FakeGroupChat chat = new FakeGroupChat();
    private final List<String> notices = new ArrayList<>();
    private final List<String> chatLines = new ArrayList<>();
    private final LiveEvents events = new LiveEvents(chat.me.peerId(), List.of(), ZoneOffset.UTC, notices::add, chatLines::add);

    @Test
    void anInvitationIsANoticeOnceAndAGroupOfOnesOwnIsNot() {
        GroupInfo team = new GroupInfo(GroupId.random(FakeGroupChat.RANDOM), "the team",
                List.of(new Member(chat.friend, true), new Member(chat.me, false)), 2);
        events.groupUpdated(new GroupInfo(GroupId.random(FakeGroupChat.RANDOM), "mine", List.of(new Member(chat.me, true)), 1));
        events.groupUpdated(team);
        events.groupUpdated(team);

        assertEquals(List.of("joined 'the team', now 2 members; 'chat \"the team\"' to talk there"), notices);
        assertEquals(List.of(), chatLines);
    }

    @Test
    void beingRemovedIsANoticeThatSaysTheHistoryStaysReadable() {
        events.removedFrom(new GroupInfo(GroupId.random(FakeGroupChat.RANDOM), "the team",
                List.of(new Member(chat.friend, true)), 3));

        assertEquals(List.of("this node was removed from 'the team': it no longer sends there; 'history \"the team\"' "
                + "still shows what it holds"), notices);
    }

    @Test
    void aWithdrawnMessageIsANoticeAndPrintsAgainInChatModeShouldItShowAgain() {
        ChatMessage message = new ChatMessage(chat.group.id(), MessageId.random(FakeGroupChat.RANDOM), List.of(),
                chat.friend.peerId(), Instant.parse("2026-12-06T20:01:02Z"), "hello",
                new Delivery(Delivery.Status.RECEIVED, 0, 3, Set.of()));
        LiveEvents events = new LiveEvents(chat.me.peerId(), List.of(chat.group), ZoneOffset.UTC, notices::add,
                chatLines::add);
        events.follow(chat.group, List.of());
        events.messageUpdated(message);
        events.messageWithdrawn(message);
        events.messageUpdated(message);

        assertEquals(List.of("withdrew " + chat.friend.peerId().shortText() + "'s message of 20:01:02 in 'friends': its "
                + "author was removed, and no member that had not heard of it took the message"), notices);
        String line = "20:01:02  " + chat.friend.peerId().shortText() + "  hello";
        assertEquals(List.of(line, line), chatLines);
    }

    @Test
    void aJoinRequestSaysHowToDecide() {
        String stranger = chat.stranger.peerId().shortText();
        events.joinRequested(new JoinRequest(chat.group.id(), "friends", chat.stranger, chat.stranger.peerId(), Instant.now()));

        assertEquals(List.of(stranger + " asks to join 'friends': 'accept friends " + stranger + "' or 'reject friends "
                + stranger + "'"), notices);
    }

    @Test
    void aMemberGoingOfflineAndComingBackPrintsOnlyInChatModeOnItsGroup() {
        PeerId friend = chat.friend.peerId();
        events.groupUpdated(chat.group);
        events.presenceChanged(friend, Presence.OFFLINE);
        assertEquals(List.of(), chatLines, "not in chat mode");

        events.follow(chat.group, List.of());
        events.presenceChanged(friend, Presence.OFFLINE);
        events.presenceChanged(chat.stranger.peerId(), Presence.ONLINE);
        events.presenceChanged(friend, Presence.ONLINE);

        assertEquals(List.of(friend.shortText() + " is offline", friend.shortText() + " is online"), chatLines);
    }

    @Test
    void membersJoiningAndLeavingPrintOnlyForTheGroupInChatMode() {
        GroupInfo withStranger = new GroupInfo(chat.group.id(), "friends",
                List.of(new Member(chat.me, true), new Member(chat.friend, false), new Member(chat.stranger, false)), 3);
        GroupInfo withoutFriend = new GroupInfo(chat.group.id(), "friends",
                List.of(new Member(chat.me, true), new Member(chat.stranger, false)), 4);
        events.groupUpdated(chat.group);
        events.groupUpdated(withStranger);
        assertEquals(List.of(), chatLines, "not in chat mode");

        events.follow(withStranger, List.of());
        events.groupUpdated(withoutFriend);
        events.groupUpdated(withStranger);

        assertEquals(List.of(chat.friend.peerId().shortText() + " left 'friends'",
                chat.friend.peerId().shortText() + " joined 'friends'"), chatLines);
    }
}
