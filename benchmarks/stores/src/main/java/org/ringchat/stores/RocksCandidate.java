package org.ringchat.stores;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** RocksDB: messages under 'm'+key, statuses under 's'+key, one WriteBatch a commit, sync per commit or not. */
final class RocksCandidate implements Candidate {

    static {
        RocksDB.loadLibrary();
    }

    private final Options options = new Options().setCreateIfMissing(true);
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private WriteBatch batch = new WriteBatch();

    RocksCandidate(Path dir, boolean fsync) throws IOException {
        writeOptions = new WriteOptions().setSync(fsync);
        try {
            db = RocksDB.open(options, dir.resolve("rocks").toString());
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    private static byte[] key(char kind, int group, long sequence) {
        return ByteBuffer.allocate(9).put((byte) kind).putLong(Candidate.key(group, sequence)).array();
    }

    @Override
    public void append(int group, long sequence, byte[] id, byte[] message, byte[] status) throws IOException {
        try {
            batch.put(key('m', group, sequence), message);
            batch.put(key('s', group, sequence), status);
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void updateStatus(int group, long sequence, byte[] status) throws IOException {
        try {
            batch.put(key('s', group, sequence), status);
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void commit() throws IOException {
        try {
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
        batch.close();
        batch = new WriteBatch();
    }

    @Override
    public List<byte[]> after(int group, long sequence, int count) throws IOException {
        List<byte[]> page = new ArrayList<>();
        try (RocksIterator it = db.newIterator()) {
            byte[] end = key('m', group + 1, 0);
            for (it.seek(key('m', group, sequence + 1)); it.isValid() && page.size() < count * 2; it.next()) {
                byte[] key = it.key();
                if (java.util.Arrays.compareUnsigned(key, end) >= 0) {
                    break;
                }
                page.add(it.value());
                key[0] = 's';
                page.add(db.get(key));
            }
        } catch (RocksDBException e) {
            throw new IOException(e);
        }
        return page;
    }

    @Override
    public void close() {
        batch.close();
        db.close();
        writeOptions.close();
        options.close();
    }
}
