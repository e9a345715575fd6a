package org.ringchat.stores;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.KeyRange;
import org.lmdbjava.Txn;

/**
 * LMDB through lmdbjava: one write transaction a commit; without fsync the environment is opened with
 * MDB_NOSYNC (a commit is in the page cache, not on the disk). Direct buffers, as lmdbjava wants.
 */
final class LmdbCandidate implements Candidate {

    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> messages;
    private final Dbi<ByteBuffer> statuses;
    private final ByteBuffer key = ByteBuffer.allocateDirect(8);
    private final ByteBuffer value = ByteBuffer.allocateDirect(64 * 1024);
    private Txn<ByteBuffer> txn;

    LmdbCandidate(Path dir, boolean fsync) throws java.io.IOException {
        Path home = Files.createDirectories(dir.resolve("lmdb"));
        env = Env.create().setMapSize(8L << 30).setMaxDbs(2)
                .open(home.toFile(), fsync ? new EnvFlags[0] : new EnvFlags[] {EnvFlags.MDB_NOSYNC});
        messages = env.openDbi("messages", DbiFlags.MDB_CREATE);
        statuses = env.openDbi("statuses", DbiFlags.MDB_CREATE);
    }

    private Txn<ByteBuffer> writing() {
        if (txn == null) {
            txn = env.txnWrite();
        }
        return txn;
    }

    private void put(Dbi<ByteBuffer> dbi, int group, long sequence, byte[] bytes) {
        key.clear().putLong(Candidate.key(group, sequence)).flip();
        value.clear().put(bytes).flip();
        dbi.put(writing(), key, value);
    }

    @Override
    public void append(int group, long sequence, byte[] id, byte[] message, byte[] status) {
        put(messages, group, sequence, message);
        put(statuses, group, sequence, status);
    }

    @Override
    public void updateStatus(int group, long sequence, byte[] status) {
        put(statuses, group, sequence, status);
    }

    @Override
    public void commit() {
        if (txn != null) {
            txn.commit();
            txn.close();
            txn = null;
        }
    }

    @Override
    public List<byte[]> after(int group, long sequence, int count) {
        List<byte[]> page = new ArrayList<>();
        ByteBuffer from = ByteBuffer.allocateDirect(8).putLong(Candidate.key(group, sequence + 1)).flip();
        ByteBuffer to = ByteBuffer.allocateDirect(8).putLong(Candidate.key(group + 1, 0) - 1).flip();
        try (Txn<ByteBuffer> read = env.txnRead();
             CursorIterable<ByteBuffer> range = messages.iterate(read, KeyRange.closed(from, to))) {
            for (CursorIterable.KeyVal<ByteBuffer> entry : range) {
                page.add(bytes(entry.val()));
                page.add(bytes(statuses.get(read, entry.key())));
                if (page.size() >= count * 2) {
                    break;
                }
            }
        }
        return page;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public void close() {
        commit();
        env.close();
    }
}
