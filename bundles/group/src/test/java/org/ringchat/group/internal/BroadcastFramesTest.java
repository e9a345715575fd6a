package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.wire.MalformedInputException;

class BroadcastFramesTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void aChatComesBackWithItsTopologysNameAndRoute() {
        BroadcastFrames.Header header = new BroadcastFrames.Header(GroupId.random(random), MessageId.random(random),
                "tree-2 (test)", new TestIdentity().peerId());
        BroadcastFrames.Chat chat = BroadcastFrames.Chat.decode(new BroadcastFrames.Chat(3, 7, header, new byte[] {1, 2}).encode());
        assertEquals(header, chat.header());
        assertEquals(7, chat.seq());
    }

    @Test
    void onlyPrintableAsciiNamesOfAtMost32CharactersCanBeSent() {
        assertTrue(BroadcastFrames.isTopologyName("ring"));
        assertTrue(BroadcastFrames.isTopologyName("x".repeat(32)));
        assertFalse(BroadcastFrames.isTopologyName("x".repeat(33)));
        assertFalse(BroadcastFrames.isTopologyName("anneau-é"));
        assertFalse(BroadcastFrames.isTopologyName("ring\n"));
    }

    @Test
    void aNameThatIsNotPrintableAsciiIsRefusedOnReading() {
        byte[] body = new BroadcastFrames.Chat(1, 1, new BroadcastFrames.Header(GroupId.random(random),
                MessageId.random(random), "ring", new TestIdentity().peerId()), new byte[0]).encode();
        body[8 + 8 + GroupId.LENGTH + MessageId.LENGTH + 1] = (byte) 0xe9; // the name's first character
        assertThrows(MalformedInputException.class, () -> BroadcastFrames.Chat.decode(body));
    }
}
