package org.ringchat.state.internal;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * Commits are written by the calling thread: H2's background writer, which would hand every commit
 * to two threads of its own, is off, and this store compacts the file from a thread of its own instead.
 * <p>
 * Values are copied in and out: MVStore keeps the very array it was given in the map's page, and writes
 * it again whenever it rewrites that page to compact the file, so a caller that changed (or cleared) its
 * array after a put would change what is stored, long after its commit.
 */
public final class MVStateStore implements StateStore, AutoCloseable {

    /** File name of the store inside the node's data directory. */
    public static final String FILE_NAME = "ringchat.mv.db";

    private static final System.Logger LOG = System.getLogger(MVStateStore.class.getName());
    private static final long HOUSEKEEPING_SECONDS = 10;
    /** Chunks less full than this (in %) are rewritten: H2's own default for its background writer. */
    private static final int COMPACT_FILL_RATE = 90;
    private static final int COMPACT_BYTES_PER_ROUND = 4 << 20;

    private final MVStore store;
    private final ScheduledExecutorService housekeeping;

    private MVStateStore(MVStore store, Path file) {
        this.store = store;
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ringchat-store-housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(() -> compact(file), HOUSEKEEPING_SECONDS, HOUSEKEEPING_SECONDS,
                TimeUnit.SECONDS);
    }

    private void compact(Path file) {
        try {
            store.compact(COMPACT_FILL_RATE, COMPACT_BYTES_PER_ROUND);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not compact the store " + file + ": " + e.getMessage(), e);
        }
    }

    /** Opens or creates the store in a data directory. */
    public static MVStateStore open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            // Callers commit explicitly before they acknowledge anything.
            MVStateStore store = new MVStateStore(new MVStore.Builder().fileName(file.toString()).autoCommitDisabled()
                    .open(), file);
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
        housekeeping.shutdownNow();
        try {
            housekeeping.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
