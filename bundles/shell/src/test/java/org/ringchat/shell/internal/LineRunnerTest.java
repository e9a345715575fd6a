package org.ringchat.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.MessageId;

/** The lines of ringchat's shell: commands, chat mode, help, and what goes to Gogo. */
class LineRunnerTest {

    private final ShellFixture shell = new ShellFixture();
    private final FakeGroupChat chat = shell.chat;

    @AfterEach
    void closeShell() {
        shell.close();
    }

    private LineRunner.Outcome run(String line) {
        return shell.runner.run(line);
    }

    @Test
    void sendSendsTheTextExactlyAsTyped() {
        List<String> texts = List.of("it's me", "bob left?", "price is $5 (or {x})", "a | b", "hello   world; two",
                "\"quoted\" and 'single'", "tab\there", "# not a comment", "ünïcödé ✓");
        for (String text : texts) {
            assertEquals(LineRunner.Outcome.DONE, run("send friends " + text));
        }

        assertEquals(texts, chat.sent);
        assertEquals(List.of(), shell.err());
    }

    @Test
    void aGroupNameWithBlanksIsQuotedAndTheTextStillTakenAsTyped() {
        chat.groups.clear();
        run("send \"friends\"   'it's' \"me\"");

        assertEquals(List.of("'it's' \"me\""), chat.sent);
    }

    @Test
    void sendWithoutTextShowsItsUsage() {
        assertEquals(LineRunner.Outcome.FAILED, run("send friends   "));
        assertEquals(List.of("error: usage: send <group> <text...>"), shell.err());
    }

    @Test
    void anUnknownCommandIsOneLineWithoutJavaNames() {
        assertEquals(LineRunner.Outcome.FAILED, run("foo bar"));
        assertEquals(List.of("error: unknown command 'foo'; 'help' lists the commands"), shell.err());
    }

    @Test
    void otherLinesGoToGogo() {
        assertEquals(LineRunner.Outcome.DONE, run("who = world"));
        assertEquals(LineRunner.Outcome.DONE, run("hello $who"));
        assertEquals(LineRunner.Outcome.INCOMPLETE, run("greet = {"));
        assertEquals(LineRunner.Outcome.INCOMPLETE, run("  hello there"));
        assertEquals(LineRunner.Outcome.DONE, run("}"));
        assertEquals(LineRunner.Outcome.DONE, run("greet"));

        assertEquals(List.of("world", "hello world"), shell.out().subList(0, 2)); // an assignment prints its value
        assertEquals("hello there", shell.out().get(shell.out().size() - 1));
    }

    @Test
    void helpListsRingchatsCommandsWithUsageAndDescription() {
        run("help");

        List<String> help = shell.out();
        assertEquals("ringchat's commands:", help.get(0));
        assertTrue(help.get(1).matches("  id +this node's address, for others to invite it"), help.get(1));
        assertTrue(help.stream().anyMatch(l -> l.matches("  send <group> <text\\.\\.\\.> +send the text, every character"
                + " as typed \\(at most 16384 bytes in UTF-8\\)")), String.join("\n", help));
        assertTrue(help.size() < 30, "ringchat's commands, not all of Gogo's: " + help.size());
    }

    @Test
    void helpOfOneCommandShowsItsUsage() {
        run("help send");

        assertEquals(List.of("usage: send <group> <text...>",
                "  send the text, every character as typed (at most 16384 bytes in UTF-8)"), shell.out());
    }

    @Test
    void chatModeSendsEveryLineAsTypedAndRunsSlashCommands() {
        run("chat friends");
        run("it's me; and $you | or {x}");
        run("  indented");
        run("");
        run("/groups");
        run("/members");
        run("/exit");
        run("send friends back to commands");

        assertEquals(List.of("it's me; and $you | or {x}", "  indented", "back to commands"), chat.sent);
        assertEquals("chatting in 'friends' (2 members): each line is sent as typed; /exit leaves, /help lists the commands",
                shell.out().get(0));
        assertTrue(shell.out().contains(chat.group.id() + "  friends  2 members"), shell.out().toString());
        assertTrue(shell.out().contains(chat.friend + "  member  offline"), "/members takes the chat's group: " + shell.out());
        assertTrue(shell.out().contains("left chat mode in 'friends'"), shell.out().toString());
        assertEquals(List.of(), shell.err());
    }

    @Test
    void chatWithoutAGroupShowsItsUsageAndStaysInCommandMode() {
        assertEquals(LineRunner.Outcome.FAILED, run("chat"));
        run("groups");

        assertEquals(List.of("error: usage: chat <group>"), shell.err());
        assertEquals(List.of(chat.group.id() + "  friends  2 members"), shell.out());
        assertTrue(shell.runner.chatting().isEmpty());
    }

    @Test
    void chatModePrintsTheOthersMessagesOnceAndNotOnesAlreadyThere() {
        ChatMessage old = message("before", Instant.parse("2026-11-25T10:15:00Z"));
        chat.history.add(old);
        run("chat friends");
        ChatMessage fresh = message("hi there", Instant.parse("2026-11-25T10:15:30Z"));
        shell.events.messageUpdated(old);
        shell.events.messageUpdated(fresh);
        shell.events.messageUpdated(fresh); // its delivery changed

        assertEquals(List.of("10:15:30  " + chat.friend.peerId().shortText() + "  hi there"),
                shell.out().subList(1, shell.out().size()));
    }

    @Test
    void groupsWithoutAnySaysHowToMakeOne() {
        chat.groups.clear();
        run("groups");

        assertEquals(List.of("no groups yet; 'create <name>' makes one"), shell.out());
    }

    private ChatMessage message(String text, Instant at) {
        return new ChatMessage(chat.group.id(), MessageId.random(FakeGroupChat.RANDOM), List.of(), chat.friend.peerId(),
                at, text, new Delivery(Delivery.Status.RECEIVED, 0, 2, Set.of()));
    }
}
