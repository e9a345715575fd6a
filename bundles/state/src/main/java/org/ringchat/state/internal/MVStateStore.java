package org.ringchat.state.internal;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.BiConsumer;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.ringchat.api.RingchatException;
import org.ringchat.spi.StateStore;

/**
 * A {@link StateStore} in one H2 MVStore file. {@link #commit()} writes a new chunk, so everything
 * committed survives the process being killed.
 * <p>
 * Values are copied in and out: MVStore keeps the very array it was given in the map's page, and writes
 * it again whenever it rewrites that page to compact the file, so a caller that changed (or cleared) its
 * array after a put would change what is stored, long after its commit.
 */
public final class MVStateStore implements StateStore, AutoCloseable {

    /** File name of the store inside the node's data directory. */
    public static final String FILE_NAME = "ringchat.mv.db";

    private final MVStore store;

    private MVStateStore(MVStore store) {
        this.store = store;
    }

    /** Opens or creates the store in a data directory. */
    public static MVStateStore open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            // Auto-commit stays on as a safety net; callers commit explicitly before they acknowledge.
            MVStateStore store = new MVStateStore(new MVStore.Builder().fileName(file.toString()).open());
            ownerOnly(file);
            return store;
        } catch (MVStoreException e) {
            throw new RingchatException("cannot open the store " + file + " (is another node using this data directory?): "
                    + e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new RingchatException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** The store holds the node's private key and its messages: nobody else may read it. */
    private static void ownerOnly(Path file) throws java.io.IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Override
    public StoreMap map(String name) {
        return new MVStoreMap(store.openMap(name));
    }

    @Override
    public void commit() {
        store.commit();
    }

    @Override
    public void close() {
        store.close();
    }

    private static final class MVStoreMap implements StoreMap {

        private final MVMap<String, byte[]> map;

        MVStoreMap(MVMap<String, byte[]> map) {
            this.map = map;
        }

        @Override
        public byte[] get(String key) {
            byte[] value = map.get(key);
            return value == null ? null : value.clone();
        }

        @Override
        public void put(String key, byte[] value) {
            map.put(key, value.clone());
        }

        @Override
        public void remove(String key) {
            map.remove(key);
        }

        @Override
        public void forEach(BiConsumer<String, byte[]> visitor) {
            for (Map.Entry<String, byte[]> entry : map.entrySet()) {
                visitor.accept(entry.getKey(), entry.getValue().clone());
            }
        }

        @Override
        public int size() {
            return map.size();
        }
    }
}
