package org.ringchat.stores;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;

/**
 * Chronicle Queue: every message and every status change one excerpt; the index from (group, sequence)
 * to excerpt index is kept in memory, as the queue has none of its own. Writes go to a memory-mapped
 * file, so a commit has nothing to do; the queue offers no fsync per commit (see docs/STORAGE.md).
 */
final class ChronicleCandidate implements Candidate {

    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private final ExcerptTailer tailer;
    private long[][] messageAt = new long[16][];
    private long[][] statusAt = new long[16][];

    ChronicleCandidate(Path dir, boolean fsync) {
        if (fsync) {
            throw new UnsupportedOperationException("Chronicle Queue has no fsync per commit");
        }
        queue = ChronicleQueue.singleBuilder(dir.resolve("chronicle")).build();
        appender = queue.createAppender();
        tailer = queue.createTailer();
    }

    private long write(byte[] bytes) {
        appender.writeBytes(b -> b.write(bytes));
        return appender.lastIndexAppended();
    }

    private static long[] slot(long[][] table, int group, long sequence) {
        if (table[group] == null) {
            table[group] = new long[1024];
        }
        if (sequence >= table[group].length) {
            table[group] = Arrays.copyOf(table[group], (int) Math.max(sequence + 1, table[group].length * 2L));
        }
        return table[group];
    }

    @Override
    public void append(int group, long sequence, byte[] id, byte[] message, byte[] status) {
        slot(messageAt, group, sequence)[(int) sequence] = write(message);
        slot(statusAt, group, sequence)[(int) sequence] = write(status);
    }

    @Override
    public void updateStatus(int group, long sequence, byte[] status) {
        slot(statusAt, group, sequence)[(int) sequence] = write(status);
    }

    @Override
    public void commit() {
        // memory-mapped: written already
    }

    @Override
    public List<byte[]> after(int group, long sequence, int count) {
        List<byte[]> page = new ArrayList<>();
        for (long s = sequence + 1; s < sequence + 1 + count && messageAt[group] != null && s < messageAt[group].length
                && messageAt[group][(int) s] != 0; s++) {
            page.add(read(messageAt[group][(int) s]));
            page.add(read(statusAt[group][(int) s]));
        }
        return page;
    }

    private byte[] read(long index) {
        tailer.moveToIndex(index);
        byte[][] read = new byte[1][];
        tailer.readBytes(b -> {
            read[0] = new byte[(int) b.readRemaining()];
            b.read(read[0]);
        });
        return read[0];
    }

    @Override
    public void close() {
        queue.close();
    }
}
