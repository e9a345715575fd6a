package org.ringchat.stores;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.ByteArrayDataType;
import org.h2.mvstore.type.LongDataType;

/** MVStore with long keys and byte-array values (no Java serialization), a small page cache, no autocommit. */
final class MVStoreCandidate implements Candidate {

    private final MVStore store;
    private final MVMap<Long, byte[]> messages;
    private final MVMap<Long, byte[]> statuses;
    private final boolean fsync;

    MVStoreCandidate(Path dir, boolean fsync) {
        this.fsync = fsync;
        store = new MVStore.Builder().fileName(dir.resolve("bench.mv.db").toString()).autoCommitDisabled()
                .cacheSize(16).open();
        MVMap.Builder<Long, byte[]> builder = new MVMap.Builder<Long, byte[]>().keyType(LongDataType.INSTANCE)
                .valueType(ByteArrayDataType.INSTANCE);
        messages = store.openMap("messages", builder);
        statuses = store.openMap("statuses", builder);
    }

    @Override
    public void append(int group, long sequence, byte[] id, byte[] message, byte[] status) {
        messages.put(Candidate.key(group, sequence), message);
        statuses.put(Candidate.key(group, sequence), status);
    }

    @Override
    public void updateStatus(int group, long sequence, byte[] status) {
        statuses.put(Candidate.key(group, sequence), status);
    }

    @Override
    public void commit() {
        store.commit();
        if (fsync) {
            store.sync();
        }
    }

    @Override
    public List<byte[]> after(int group, long sequence, int count) {
        List<byte[]> page = new ArrayList<>();
        Iterator<Long> keys = messages.keyIterator(Candidate.key(group, sequence + 1));
        long end = Candidate.key(group + 1, 0);
        while (keys.hasNext() && page.size() < count) {
            long key = keys.next();
            if (key >= end) {
                break;
            }
            page.add(messages.get(key));
            page.add(statuses.get(key));
        }
        return page;
    }

    @Override
    public void close() {
        store.close();
    }
}
