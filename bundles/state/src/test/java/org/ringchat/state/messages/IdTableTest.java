package org.ringchat.state.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ringchat.api.MessageId;

class IdTableTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void everyIdPutIsFoundWithItsGroupAndSequenceAcrossGrowthAndOthersAreNot() {
        IdTable table = new IdTable();
        List<MessageId> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) { // the table starts with 1024 slots: it grows five times
            MessageId id = MessageId.random(random);
            ids.add(id);
            table.put(id, i % 7, 1_000_000_000L + i);
        }
        for (int i = 0; i < ids.size(); i++) {
            long found = table.get(ids.get(i));
            assertEquals(i % 7, IdTable.group(found));
            assertEquals(1_000_000_000L + i, IdTable.sequence(found));
        }
        for (int i = 0; i < 1000; i++) {
            assertEquals(IdTable.NONE, table.get(MessageId.random(random)));
        }
    }

    @Test
    void puttingAnIdAgainReplacesItsValue() {
        IdTable table = new IdTable();
        MessageId id = MessageId.random(random);
        table.put(id, 0, 5);
        table.put(id, 3, 9);
        assertEquals(3, IdTable.group(table.get(id)));
        assertEquals(9, IdTable.sequence(table.get(id)));
    }
}
