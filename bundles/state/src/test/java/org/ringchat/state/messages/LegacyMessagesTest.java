package org.ringchat.state.messages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringchat.state.messages.MessageLogTest.group;
import static org.ringchat.state.messages.MessageLogTest.id;
import static org.ringchat.state.messages.MessageLogTest.text;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.RingchatException;
import org.ringchat.state.internal.MVStateStore;

class LegacyMessagesTest {

    private static final GroupId GROUP = group(1);

    @TempDir
    Path dir;

    /** Stands for the engine's reader of old records: format, 16-byte ID, status byte, message. */
    private static LegacyMessages.Converted convert(byte[] record) {
        if (record.length < 18) {
            throw new IllegalArgumentException("truncated");
        }
        return new LegacyMessages.Converted(MessageId.fromBytes(Arrays.copyOfRange(record, 1, 17)),
                Arrays.copyOfRange(record, 18, record.length), new byte[] {record[17]});
    }

    private static byte[] oldRecord(int format, int n) {
        return ByteBuffer.allocate(18 + text(n).length).put((byte) format).put(id(n).toBytes()).put((byte) 7)
                .put(text(n)).array();
    }

    private void storeOldMessages(MVStateStore store, int... formats) {
        for (int n = 0; n < formats.length; n++) {
            store.map(LegacyMessages.mapName(GROUP)).put(String.format("%016x", n), oldRecord(formats[n], n));
        }
        store.commit();
    }

    @Test
    void oldMessagesOfEveryFormatMoveIntoTheLogInTheirOrder() {
        try (MVStateStore store = MVStateStore.open(dir); MessageLog log = MessageLog.open(dir, MessageLog.Settings.DEFAULT, d -> { })) {
            storeOldMessages(store, 3, 4, 5, 5);
            LegacyMessages.Result result = new LegacyMessages(store, log, LegacyMessagesTest::convert).migrate(GROUP);
            assertEquals(new LegacyMessages.Result(4, 0, List.of()), result);
            List<StoredMessage> page = log.latest(GROUP, 10);
            assertEquals(List.of(id(0), id(1), id(2), id(3)), page.stream().map(StoredMessage::id).toList());
            assertArrayEquals(text(2), page.get(2).message());
            assertArrayEquals(new byte[] {7}, page.get(2).status());
            assertEquals(0, store.map(LegacyMessages.mapName(GROUP)).size(), "the old map is emptied");
            assertEquals(new LegacyMessages.Result(0, 0, List.of()),
                    new LegacyMessages(store, log, LegacyMessagesTest::convert).migrate(GROUP), "nothing left to move");
        }
    }

    /** Killed after the log's commit, before the old map was emptied: the next start moves nothing twice. */
    @Test
    void aMoveInterruptedBeforeTheOldMapWasEmptiedDoesNotDuplicate() {
        try (MVStateStore store = MVStateStore.open(dir); MessageLog log = MessageLog.open(dir, MessageLog.Settings.DEFAULT, d -> { })) {
            storeOldMessages(store, 5, 5, 5);
            log.append(GROUP, id(0), text(0), new byte[] {7});
            log.append(GROUP, id(1), text(1), new byte[] {7});
            log.commit();
            LegacyMessages.Result result = new LegacyMessages(store, log, LegacyMessagesTest::convert).migrate(GROUP);
            assertEquals(new LegacyMessages.Result(1, 2, List.of()), result);
            assertEquals(3, log.latest(GROUP, 10).size());
        }
    }

    @Test
    void aFormatThisReleaseCannotReadIsRefusedNamingIt() {
        try (MVStateStore store = MVStateStore.open(dir); MessageLog log = MessageLog.open(dir, MessageLog.Settings.DEFAULT, d -> { })) {
            storeOldMessages(store, 5, 6);
            RingchatException refused = assertThrows(RingchatException.class,
                    () -> new LegacyMessages(store, log, LegacyMessagesTest::convert).migrate(GROUP));
            assertTrue(refused.getMessage().contains("in format 6"), refused.getMessage());
            assertTrue(refused.getMessage().contains(store.toString()), refused.getMessage());
            assertEquals(2, store.map(LegacyMessages.mapName(GROUP)).size(), "nothing was moved or removed");
            assertEquals(0, log.nextSequence(GROUP));
        }
    }

    @Test
    void anUnreadableRecordStaysInTheOldMapAndIsNamed() {
        try (MVStateStore store = MVStateStore.open(dir); MessageLog log = MessageLog.open(dir, MessageLog.Settings.DEFAULT, d -> { })) {
            storeOldMessages(store, 5, 5);
            store.map(LegacyMessages.mapName(GROUP)).put(String.format("%016x", 1), new byte[] {5, 1, 2});
            LegacyMessages.Result result = new LegacyMessages(store, log, LegacyMessagesTest::convert).migrate(GROUP);
            assertEquals(new LegacyMessages.Result(1, 0, List.of(String.format("%016x", 1))), result);
            assertEquals(1, store.map(LegacyMessages.mapName(GROUP)).size());
        }
    }
}
