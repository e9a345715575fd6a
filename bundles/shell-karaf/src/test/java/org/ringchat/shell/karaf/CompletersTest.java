package org.ringchat.shell.karaf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.junit.jupiter.api.Test;
import org.ringchat.api.GroupChat;
import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.Member;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.RingchatException;

class CompletersTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final PeerId alice = PeerId.fromPublicKey(new byte[] {1});
    private final PeerId bob = PeerId.fromPublicKey(new byte[] {2});
    private final GroupInfo friends = new GroupInfo(GroupId.random(RANDOM), "friends",
            List.of(new Member(new PeerAddress(bob, "127.0.0.1", 7402), false),
                    new Member(new PeerAddress(alice, "127.0.0.1", 7401), true)), 1);
    private final GroupInfo team = new GroupInfo(GroupId.random(RANDOM), "the team",
            List.of(new Member(new PeerAddress(alice, "127.0.0.1", 7401), true)), 1);
    private final GroupChat chat = groupChatOf(List.of(team, friends));

    @Test
    void aGroupCompletesToTheGroupsNamesQuotedWhereTheyHaveBlanks() {
        GroupCompleter completer = new GroupCompleter();
        completer.chat = chat;
        assertEquals(List.of("\"the team\"", "friends"), complete(completer, "ringchat:send", ""));
        assertEquals(List.of("friends"), complete(completer, "ringchat:send", "fr"));
    }

    @Test
    void aMemberCompletesToThePeerIdsOfTheGroupBeforeIt() {
        MemberCompleter completer = new MemberCompleter();
        completer.chat = chat;
        assertEquals(List.of(alice.toString(), bob.toString()).stream().sorted().toList(),
                complete(completer, "ringchat:kick", "friends", ""));
        assertEquals(List.of(alice.toString()), complete(completer, "ringchat:kick", "\"the team\"", ""));
        assertEquals(List.of(), complete(completer, "ringchat:kick", "nosuchgroup", ""), "an unknown group: no members");
    }

    /** The candidates for the last of {@code words}, the one the cursor is at the end of. */
    private static List<String> complete(Completer completer, String... words) {
        List<String> candidates = new ArrayList<>();
        completer.complete(null, new AtEnd(words), candidates);
        return candidates.stream().map(String::strip).toList();
    }

    private record AtEnd(String... words) implements CommandLine {

        @Override
        public int getCursorArgumentIndex() {
            return words.length - 1;
        }

        @Override
        public String getCursorArgument() {
            return words[words.length - 1];
        }

        @Override
        public int getArgumentPosition() {
            return getCursorArgument().length();
        }

        @Override
        public String[] getArguments() {
            return words;
        }

        @Override
        public int getBufferPosition() {
            return getBuffer().length();
        }

        @Override
        public String getBuffer() {
            return String.join(" ", Arrays.asList(words));
        }
    }

    /** A GroupChat that knows {@code groups} and nothing else. */
    private static GroupChat groupChatOf(List<GroupInfo> groups) {
        return (GroupChat) Proxy.newProxyInstance(GroupChat.class.getClassLoader(), new Class<?>[] {GroupChat.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "groups" -> groups;
                    case "findGroup" -> groups.stream().filter(g -> g.name().equals(args[0])).findFirst()
                            .orElseThrow(() -> new RingchatException("no group named '" + args[0] + "'"));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
