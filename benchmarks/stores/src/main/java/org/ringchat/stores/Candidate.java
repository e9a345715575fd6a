package org.ringchat.stores;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The message log's workload, as each candidate store does it: messages of a group numbered from 0, a
 * small status per message that changes, group commit, pages of the latest messages and of those after
 * a sequence.
 */
interface Candidate extends AutoCloseable {

    void append(int group, long sequence, byte[] id, byte[] message, byte[] status) throws IOException;

    void updateStatus(int group, long sequence, byte[] status) throws IOException;

    /** Makes what was appended durable; with fsync, on the disk. */
    void commit() throws IOException;

    /** The last {@code count} messages of a group, each with its latest status. */
    default List<byte[]> latest(int group, long next, int count) throws IOException {
        return after(group, next - count - 1, count);
    }

    /** Up to {@code count} messages after a sequence. */
    List<byte[]> after(int group, long sequence, int count) throws IOException;

    @Override
    void close() throws IOException;

    static Candidate open(String name, Path dir, boolean fsync) throws IOException {
        return switch (name) {
            case "mvstore" -> new MVStoreCandidate(dir, fsync);
            case "rocksdb" -> new RocksCandidate(dir, fsync);
            case "lmdb" -> new LmdbCandidate(dir, fsync);
            case "chronicle" -> new ChronicleCandidate(dir, fsync);
            case "messagelog" -> new MessageLogCandidate(dir, fsync);
            default -> throw new IllegalArgumentException("no such candidate: " + name);
        };
    }

    /** One key for a group's message: group in the upper bits, so that a group's keys are one range. */
    static long key(int group, long sequence) {
        return (long) group << 40 | sequence;
    }
}
