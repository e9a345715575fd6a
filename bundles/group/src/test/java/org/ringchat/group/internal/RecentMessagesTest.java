package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ringchat.api.MessageId;

class RecentMessagesTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void theLatestSoManyAreFoundAndEachNewOnePushesTheOldestOut() {
        RecentMessages<String> recent = new RecentMessages<>(100);
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            MessageId id = MessageId.random(random);
            ids.add(id);
            String value = "value " + i;
            assertEquals(value, recent.getOrAdd(id, () -> value));
            assertEquals(value, recent.getOrAdd(id, () -> "made again"), "made once");
        }
        assertEquals(100, recent.size());
        for (int i = 0; i < ids.size(); i++) {
            if (i < 900) {
                assertNull(recent.get(ids.get(i)), "pushed out: " + i);
            } else {
                assertEquals("value " + i, recent.get(ids.get(i)));
            }
        }
    }
}
