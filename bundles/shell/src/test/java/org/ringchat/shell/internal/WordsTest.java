package org.ringchat.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ringchat.api.RingchatException;
import org.ringchat.shell.commands.Words;

class WordsTest {

    @Test
    void wordsAreSplitByBlanksAndQuotesHoldBlanks() {
        assertEquals(List.of("create", "the team", "it's", "a"), Words.of("  create \"the team\"\t\"it's\" 'a'  ").all());
        assertEquals(List.of(), Words.of("   ").all());
    }

    @Test
    void theRestIsTheLineAsTypedAfterTheLeadingWords() {
        Words words = Words.leading("send  \"the team\"   it's   $5; {x} | y  ", 2);

        assertEquals(List.of("send", "the team"), words.all());
        assertEquals("it's   $5; {x} | y  ", words.rest());
        assertEquals("", Words.leading("send friends", 2).rest());
    }

    @Test
    void anUnclosedQuoteInAWordIsRefused() {
        RingchatException e = assertThrows(RingchatException.class, () -> Words.of("create \"the team"));
        assertEquals("a quote \" is not closed: close it, or leave quotes out", e.getMessage());
    }

    @Test
    void aWordWithBlanksIsQuotedToBeTypedAsOne() {
        assertEquals("\"the team\"", Words.quotedIfNeeded("the team"));
        assertEquals("friends", Words.quotedIfNeeded("friends"));
        assertEquals(List.of("chat", "the team"), Words.of("chat " + Words.quotedIfNeeded("the team")).all());
    }
}
