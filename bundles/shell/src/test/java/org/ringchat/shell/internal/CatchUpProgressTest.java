package org.ringchat.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.Member;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;

class CatchUpProgressTest {

    @Test
    void printsAboutEveryTenthAndTheEnd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CatchUpProgress progress = new CatchUpProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        GroupInfo group = new GroupInfo(GroupId.random(new SecureRandom()), "friends",
                List.of(new Member(new PeerAddress(PeerId.fromPublicKey(new byte[] {1}), "127.0.0.1", 7401), true)), 1);
        for (long received = 0; received <= 5000; received += 250) {
            progress.catchingUp(group, received, 5000);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(10, lines.size(), String.join("\n", lines));
        assertEquals("catching up on 'friends': 500/5000 messages", lines.get(0));
        assertEquals("catching up on 'friends': 5000/5000 messages, done", lines.get(9));
    }
}
