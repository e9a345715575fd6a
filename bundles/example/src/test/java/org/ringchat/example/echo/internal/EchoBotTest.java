package org.ringchat.example.echo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class EchoBotTest {

    @Test
    void answersTheEchoCommandOnly() {
        assertEquals(Optional.of("echo: hi there"), EchoBot.answerTo("!echo hi there"));
        assertEquals(Optional.of("echo: padded"), EchoBot.answerTo("!echo   padded  "));
        assertEquals(Optional.empty(), EchoBot.answerTo("hi"));
        assertEquals(Optional.empty(), EchoBot.answerTo("!echo"), "nothing to echo");
        assertEquals(Optional.empty(), EchoBot.answerTo("!echo   "), "nothing to echo");
        assertEquals(Optional.empty(), EchoBot.answerTo("!echoes hi"), "another command");
        assertEquals(Optional.empty(), EchoBot.answerTo("echo: !echo hi"), "an answer is never a command");
    }
}
