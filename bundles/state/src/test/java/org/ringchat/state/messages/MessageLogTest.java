package org.ringchat.state.messages;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.RingchatException;

class MessageLogTest {

    private static final GroupId GROUP = group(1);
    private static final GroupId OTHER = group(2);

    @TempDir
    Path dir;

    private final List<Damage> heard = new ArrayList<>();

    private MessageLog open() {
        return open(MessageLog.Settings.DEFAULT);
    }

    private MessageLog open(MessageLog.Settings settings) {
        heard.clear();
        return MessageLog.open(dir, settings, heard::add);
    }

    @Test
    void whatWasCommittedIsReadAfterAReopenWithItsLatestStatus() {
        try (MessageLog log = open()) {
            assertEquals(0, log.append(GROUP, id(0), text(0), new byte[] {1}));
            assertEquals(1, log.append(GROUP, id(1), text(1), new byte[] {1}));
            assertEquals(0, log.append(OTHER, id(2), text(2), new byte[] {1}));
            log.updateStatus(GROUP, 0, new byte[] {2, 5});
            log.commit();
        }
        try (MessageLog log = open()) {
            List<StoredMessage> page = log.latest(GROUP, 50);
            assertEquals(2, page.size());
            assertEquals(id(0), page.get(0).id());
            assertArrayEquals(text(0), page.get(0).message());
            assertArrayEquals(new byte[] {2, 5}, page.get(0).status(), "the latest status");
            assertArrayEquals(new byte[] {1}, page.get(1).status(), "the status it was appended with");
            assertArrayEquals(text(2), log.read(OTHER, 0, id(2)).orElseThrow().message());
            assertEquals(OTHER, log.read(OTHER, 0, id(2)).orElseThrow().group());
            assertEquals(2, log.nextSequence(GROUP));
            assertEquals(java.util.Set.of(GROUP, OTHER), log.groups());
            assertEquals(List.of(), log.damaged());
            assertEquals(List.of(), log.lostAtTail());
            assertEquals(List.of(), heard);
        }
    }

    @Test
    void segmentsAreReadableByTheirOwnerOnly() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        open().close();
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(segments().get(0))));
    }

    @Test
    void aReadWhereAGroupHoldsNoMessageFindsNothing() {
        try (MessageLog log = open()) {
            log.append(GROUP, id(0), text(0), new byte[0]);
            assertTrue(log.read(GROUP, 1, id(1)).isEmpty(), "after the last");
            assertTrue(log.read(GROUP, -1, id(1)).isEmpty());
            assertTrue(log.read(OTHER, 0, id(0)).isEmpty(), "a group with no messages");
        }
    }

    @Test
    void anAppendedMessageIsReadableBeforeItsCommit() {
        try (MessageLog log = open()) {
            log.append(GROUP, id(0), text(0), new byte[0]);
            assertArrayEquals(text(0), log.read(GROUP, 0, id(0)).orElseThrow().message());
        }
    }

    @Test
    void historyAndCatchUpReadPagesOfOneGroupAmongMany() {
        try (MessageLog log = open()) {
            for (int i = 0; i < 300; i++) {
                log.append(group(i % 3), id(i), text(i), new byte[0]);
            }
            log.commit();
            assertEquals(List.of(id(150), id(153), id(156), id(159), id(162)), ids(log.after(group(0), 49, 5)));
            assertEquals(List.of(id(291), id(294), id(297)), ids(log.latest(group(0), 3)));
            assertEquals(List.of(id(285), id(288)), ids(log.before(group(0), 97, 2)));
            assertEquals(List.of(), log.after(group(0), 99, 10), "nothing after the last");
            assertEquals(100, log.latest(group(1), 1000).size());
            assertEquals(List.of(), log.latest(group(9), 10), "a group with no messages");
        }
    }

    @Test
    void aStatusChangeAppendsASmallRecordAndRewritesNoMessage() throws IOException {
        try (MessageLog log = open()) {
            log.append(GROUP, id(0), text(0), new byte[] {1});
            log.commit();
            long before = logBytes();
            log.updateStatus(GROUP, 0, new byte[] {2});
            log.commit();
            assertEquals(Record.HEADER + 1, logBytes() - before);
            assertThrows(IllegalArgumentException.class, () -> log.updateStatus(GROUP, 1, new byte[] {2}));
        }
    }

    @Test
    void aFullSegmentIsFollowedByTheNextAndBothAreRead() throws IOException {
        try (MessageLog log = open(new MessageLog.Settings(4096, false))) {
            for (int i = 0; i < 40; i++) {
                log.append(GROUP, id(i), text(i), new byte[0]);
                log.commit();
            }
        }
        assertTrue(segments().size() > 3, "several segments");
        try (MessageLog log = open(new MessageLog.Settings(4096, false))) {
            assertEquals(40, log.latest(GROUP, 100).size());
            assertArrayEquals(text(39), log.read(GROUP, 39, id(39)).orElseThrow().message());
        }
    }

    /** A process killed in a commit leaves any prefix of what it wrote: every one opens. */
    @Test
    void aCommitCutAtAnyByteOpensWithTheCommitsBeforeItAndSaysWhatWasLost() throws IOException {
        try (MessageLog log = open()) {
            log.append(GROUP, id(0), text(0), new byte[0]);
            log.commit();
        }
        long committed = logBytes();
        try (MessageLog log = open()) {
            log.append(GROUP, id(1), text(1), new byte[0]);
            log.updateStatus(GROUP, 0, new byte[] {9});
            log.commit();
        }
        byte[] whole = Files.readAllBytes(segments().get(0));
        for (long cut = committed + 1; cut < whole.length; cut++) {
            Files.write(segments().get(0), java.util.Arrays.copyOf(whole, (int) cut));
            boolean secondMessageWhole = cut >= recordOffset(2);
            List<MessageId> kept = secondMessageWhole ? List.of(id(0), id(1)) : List.of(id(0));
            try (MessageLog log = open()) {
                assertEquals(kept, ids(log.latest(GROUP, 10)), "cut at " + cut);
                assertArrayEquals(new byte[0], log.latest(GROUP, 10).get(0).status(), "the status change was cut");
                // a cut status change is no lost message, once its header says it was one
                long status = recordOffset(2);
                boolean unknownCut = cut > status && cut < status + Record.HEADER;
                assertEquals(secondMessageWhole && !unknownCut ? 0 : 1, log.lostAtTail().size(), "cut at " + cut);
                boolean lostHeaderWhole = cut >= committed + Record.HEADER;
                if (!secondMessageWhole) {
                    assertEquals(lostHeaderWhole ? id(1) : null, log.lostAtTail().get(0).id(), "cut at " + cut);
                }
                assertEquals(List.of(), log.damaged(), "a torn tail is no damage: it was never acknowledged");
                // the next commit goes where the torn one was
                log.append(GROUP, id(2), text(2), new byte[0]);
                log.commit();
            }
            try (MessageLog log = open()) {
                List<MessageId> after = new ArrayList<>(kept);
                after.add(id(2));
                assertEquals(after, ids(log.latest(GROUP, 10)), "cut at " + cut);
            }
        }
    }

    @Test
    void aDamagedBodyInTheMiddleIsReportedWithItsMessageUntilItIsAppendedAgain() throws IOException {
        try (MessageLog log = open()) {
            for (int i = 0; i < 5; i++) {
                log.append(GROUP, id(i), text(i), new byte[0]);
            }
            log.commit();
        }
        flipByteAt(recordOffset(2) + Record.HEADER + 100);
        try (MessageLog log = open()) {
            assertEquals(List.of(id(0), id(1), id(3), id(4)), ids(log.latest(GROUP, 10)));
            Damage damage = log.damaged().get(0);
            assertEquals(List.of(new Damage(GROUP, 2, id(2), segments().get(0), recordOffset(2), recordOffset(1) - recordOffset(0))),
                    log.damaged());
            assertEquals(List.of(damage), heard, "the listener hears of it");
            assertTrue(log.read(GROUP, 2, id(2)).isEmpty());
            log.append(GROUP, id(2), text(2), new byte[0]);
            log.commit();
            assertEquals(List.of(), log.damaged(), "fetched again and appended");
        }
        try (MessageLog log = open()) {
            assertEquals(List.of(), log.damaged(), "still settled after a reopen");
            assertArrayEquals(text(2), log.read(GROUP, 5, id(2)).orElseThrow().message(), "where it was appended again");
        }
    }

    @Test
    void aDamagedHeaderInTheMiddleIsReportedWithItsGroupAndSequence() throws IOException {
        try (MessageLog log = open()) {
            for (int i = 0; i < 5; i++) {
                log.append(GROUP, id(i), text(i), new byte[0]);
            }
            log.commit();
        }
        flipByteAt(recordOffset(2) + 45);
        try (MessageLog log = open()) {
            assertEquals(List.of(id(0), id(1), id(3), id(4)), ids(log.latest(GROUP, 10)));
            List<Damage> damaged = log.damaged();
            assertEquals(2, damaged.size(), damaged.toString());
            assertEquals(recordOffset(2), damaged.get(0).offset(), "where the unreadable bytes are");
            assertEquals(new Damage(GROUP, 2, null, null, -1, 0), damaged.get(1), "which message they held");
        }
    }

    @Test
    void aDamageFoundByAReadIsReported() throws IOException {
        try (MessageLog log = open()) {
            log.append(GROUP, id(0), text(0), new byte[0]);
            log.append(GROUP, id(1), text(1), new byte[0]);
            log.commit();
            flipByteAt(recordOffset(0) + Record.HEADER + 7);
            assertEquals(List.of(id(1)), ids(log.latest(GROUP, 10)));
            assertEquals(1, heard.size());
            assertEquals(List.of(GROUP), log.damaged().stream().map(Damage::group).toList());
            assertEquals(0, log.damaged().get(0).sequence());
        }
    }

    @Test
    void aDamageFoundByReadingAMessageNamesItOnceAndIsSettledWhenItIsAppendedAgain() throws IOException {
        try (MessageLog log = open()) {
            log.append(GROUP, id(0), text(0), new byte[0]);
            log.append(GROUP, id(1), text(1), new byte[0]);
            log.commit();
            flipByteAt(recordOffset(0) + Record.HEADER + 7);
            assertTrue(log.read(GROUP, 0, id(0)).isEmpty(), "never served damaged");
            assertTrue(log.read(GROUP, 0, id(0)).isEmpty());
            assertEquals(List.of(new Damage(GROUP, 0, id(0), segments().get(0), recordOffset(0), Record.HEADER)), heard,
                    "reported once, naming the message, the file and the offset");
            assertEquals(heard, log.damaged());
            log.updateStatus(GROUP, 0, new byte[] {2}); // a status change still under way when the damage was found
            log.append(GROUP, id(0), text(0), new byte[0]);
            assertEquals(List.of(), log.damaged(), "fetched again and appended");
            assertArrayEquals(text(0), log.read(GROUP, 2, id(0)).orElseThrow().message());
        }
    }

    /** Only the end of the last segment can be a commit in progress: an earlier segment's end is damage. */
    @Test
    void aDamagedEndOfAnEarlierSegmentIsReportedNotCut() throws IOException {
        MessageLog.Settings small = new MessageLog.Settings(4096, false);
        try (MessageLog log = open(small)) {
            for (int i = 0; i < 20; i++) {
                log.append(GROUP, id(i), text(i), new byte[0]);
                log.commit();
            }
        }
        Path first = segments().get(0);
        long firstLength = Files.size(first);
        byte[] bytes = Files.readAllBytes(first);
        bytes[bytes.length - 10] ^= 0x01;
        Files.write(first, bytes);
        try (MessageLog log = open(small)) {
            assertEquals(firstLength, Files.size(first), "nothing cut");
            assertEquals(List.of(), log.lostAtTail());
            assertEquals(1, log.damaged().size());
            assertEquals(first, log.damaged().get(0).file());
            assertEquals(19, log.latest(GROUP, 100).size());
        }
    }

    @Test
    void aSegmentOfAnotherFormatIsRefusedNamingTheFile() throws IOException {
        try (MessageLog log = open()) {
            log.append(GROUP, id(0), text(0), new byte[0]);
        }
        flipByteAt(7);
        RingchatException refused = assertThrows(RingchatException.class, this::open);
        assertTrue(refused.getMessage().contains(segments().get(0).toString()), refused.getMessage());
    }

    /**
     * Random damage anywhere: opening never fails, never returns bytes other than those appended, and a
     * message that cannot be read is always accounted for.
     */
    @Test
    void randomDamageIsNeverReadAsDataAndNeverGoesUnreported() throws IOException {
        SplittableRandom random = new SplittableRandom(12);
        for (int round = 0; round < 200; round++) {
            Path roundDir = Files.createDirectories(dir.resolve("round" + round));
            int count = 1 + random.nextInt(30);
            try (MessageLog log = MessageLog.open(roundDir, MessageLog.Settings.DEFAULT, d -> { })) {
                for (int i = 0; i < count; i++) {
                    log.append(group(i % 2), id(i), text(i), new byte[] {(byte) i});
                    if (random.nextInt(4) == 0) {
                        log.updateStatus(group(i % 2), i / 2, new byte[] {(byte) (i + 100)});
                    }
                }
            }
            Path segment = roundDir.resolve(MessageLog.DIRECTORY).resolve(String.format("%016x.seg", 0));
            byte[] bytes = Files.readAllBytes(segment);
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bytes[Segments.FILE_HEADER.length + random.nextInt(bytes.length - Segments.FILE_HEADER.length)] ^=
                        (byte) (1 + random.nextInt(255));
            }
            Files.write(segment, bytes);
            try (MessageLog log = MessageLog.open(roundDir, MessageLog.Settings.DEFAULT, d -> { })) {
                boolean reported = !log.damaged().isEmpty() || !log.lostAtTail().isEmpty();
                for (int i = 0; i < count; i++) {
                    var found = log.read(group(i % 2), i / 2, id(i));
                    if (found.isPresent()) {
                        assertArrayEquals(text(i), found.get().message(), "round " + round);
                    } else {
                        assertTrue(reported, "round " + round + ": message " + i + " lost without a word");
                    }
                }
            }
        }
    }

    private void flipByteAt(long offset) throws IOException {
        try (FileChannel file = FileChannel.open(segments().get(0), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            file.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x40)).rewind();
            file.write(one, offset);
        }
    }

    /** Where the n-th message record starts, when all messages have the same size and no status changed. */
    private static long recordOffset(int n) {
        return Segments.FILE_HEADER.length + (long) n * (Record.HEADER + 2 + text(0).length);
    }

    private long logBytes() throws IOException {
        long total = 0;
        for (Path p : segments()) {
            total += Files.size(p);
        }
        return total;
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(MessageLog.DIRECTORY))) {
            return files.sorted().toList();
        }
    }

    private static List<MessageId> ids(List<StoredMessage> page) {
        return page.stream().map(StoredMessage::id).toList();
    }

    static GroupId group(int n) {
        byte[] bytes = new byte[GroupId.LENGTH];
        bytes[0] = (byte) n;
        bytes[31] = 7;
        return GroupId.fromBytes(bytes);
    }

    static MessageId id(int n) {
        byte[] bytes = new byte[MessageId.LENGTH];
        bytes[15] = (byte) n;
        bytes[14] = (byte) (n >> 8);
        bytes[0] = 1;
        return MessageId.fromBytes(bytes);
    }

    /** A message body of 300 bytes, the same length for every n. */
    static byte[] text(int n) {
        byte[] bytes = new byte[300];
        new SplittableRandom(n).nextBytes(bytes);
        return bytes;
    }
}
