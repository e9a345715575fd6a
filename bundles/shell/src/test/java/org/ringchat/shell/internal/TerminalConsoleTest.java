package org.ringchat.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.jline.terminal.Terminal;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.MessageId;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The terminal console on a dumb terminal whose keys are a string: what it sends and what it refuses. */
class TerminalConsoleTest {

    private final ShellFixture shell = new ShellFixture();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @AfterEach
    void closeShell() {
        shell.close();
    }

    /** Sends complete at once: the console does not wait for the fake's acknowledgement. */
    @BeforeEach
    void acknowledgeSends() {
        shell.chat.nextSend = CompletableFuture.completedFuture(new ChatMessage(shell.chat.group.id(),
                MessageId.random(FakeGroupChat.RANDOM), List.of(), shell.chat.me.peerId(), Instant.now(), "sent",
                new Delivery(Delivery.Status.CONFIRMED, 2, 2, Set.of())));
    }

    private void type(String keys) throws Exception {
        typeOn(TerminalBuilder.builder().system(false).type(Terminal.TYPE_DUMB)
                .streams(new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)), screen)
                .encoding(StandardCharsets.UTF_8).build());
    }

    /** Types on a terminal without raw mode, whose lines the kernel would have read. */
    private void typeInCanonicalMode(String keys) throws Exception {
        typeOn(new DumbTerminal("test", Terminal.TYPE_DUMB, new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)),
                screen, StandardCharsets.UTF_8));
    }

    private void typeOn(Terminal terminal) throws Exception {
        try (TerminalConsole console = new TerminalConsole(terminal, dir.resolve("history"))) {
            console.run("hello", (out, err, reader) -> new ShellSession(shell.chat, shell.processor(), out, err,
                    reader::printAbove, reader::printAbove));
        }
    }

    @Test
    void aLineIsSentAsTypedWithoutHistoryExpansionOrContinuation() throws Exception {
        type("send friends it's me! !! $5 {x} | y\n");

        assertEquals(List.of("it's me! !! $5 {x} | y"), shell.chat.sent);
    }

    @Test
    void aPastedHundredKilobytesAreRefusedAndTheNextLineRuns() throws Exception {
        type("send friends " + "x".repeat(100 * 1024) + "\nsend friends after\n");

        assertEquals(List.of("after"), shell.chat.sent);
        String text = screen.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("error: the line is longer than the 17408 bytes a line may have (a message holds at most"
                + " 16384 bytes in UTF-8): it was not run"), text.substring(Math.max(0, text.length() - 500)));
    }

    @Test
    void aBracketedPasteIsBoundedToo() throws Exception {
        String pasteEnd = "\u001b[201~";
        type("\u001b[200~send friends " + "x".repeat(100 * 1024) + pasteEnd + "\n"
                + "send friends \u001b[200~a [b~" + pasteEnd + "\n");

        assertEquals(List.of("a [b~"), shell.chat.sent);
        String text = screen.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("error: the line is longer than the 17408 bytes"),
                text.substring(Math.max(0, text.length() - 500)));
    }

    @Test
    void withoutRawModeALineThatMayHaveBeenCutIsRefusedAndTheNextLineRuns() throws Exception {
        String command = "send friends ";
        // 4,094 bytes, one short of the limit: two bytes an é
        String longest = "x" + "é".repeat((TerminalConsole.CANONICAL_LINE_BYTES - 2 - command.length()) / 2);
        typeInCanonicalMode(command + longest + "\n" + command + longest + "x\n" + command + "after\n");

        assertEquals(List.of(longest, "after"), shell.chat.sent);
        String text = screen.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("note: this terminal gives no raw mode: lines of 4095 bytes or more are refused"), text);
        assertTrue(text.contains("error: the line reached the 4095 bytes this terminal passes on (it gives no raw mode)"
                + " and may have been cut: it was not run"), text.substring(Math.max(0, text.length() - 500)));
    }
}
