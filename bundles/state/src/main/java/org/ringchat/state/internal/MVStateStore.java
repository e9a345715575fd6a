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

import org.h2.mvstore.DataUtils;
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
 * A store damaged after the node stopped must not open as an older store: MVStore, finding its last
 * chunks damaged, falls back to earlier ones without a word (a node would start with fewer messages, or,
 * from an emptied file, as a new node with a new identity). So the version the store was closed at is
 * noted beside it ({@link ClosedVersion}), and a store that opens at an earlier one is refused.
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

    /** MVStore begins its file with two header blocks of 4 KB. */
    private static final int MIN_FILE_BYTES = 2 * 4096;

    private final MVStore store;
    private final Path file;
    private final ClosedVersion closedVersion;
    private final boolean isNew;
    private final ScheduledExecutorService housekeeping;

    private MVStateStore(MVStore store, Path file, ClosedVersion closedVersion, boolean isNew) {
        this.store = store;
        this.file = file;
        this.closedVersion = closedVersion;
        this.isNew = isNew;
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

    /**
     * Opens or creates the store in a data directory.
     *
     * @throws RingchatException with one line naming the file, if the store is damaged, has lost changes
     *                           since it was last closed, or is in use by another node
     */
    public static MVStateStore open(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        ClosedVersion closedVersion = new ClosedVersion(dataDir.resolve(FILE_NAME + ClosedVersion.SUFFIX));
        try {
            Files.createDirectories(dataDir);
            boolean existed = Files.exists(file);
            long closedAt = closedVersion.read();
            if (existed && Files.size(file) < MIN_FILE_BYTES) {
                throw damaged(file, "it holds " + Files.size(file) + " bytes, less than a store's header");
            }
            if (!existed && closedAt > 0) {
                throw damaged(file, "it is missing, though this data directory held a store (" + closedVersion.file + ")");
            }
            // Callers commit explicitly before they acknowledge anything.
            MVStore mvStore = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
            if (mvStore.getCurrentVersion() < closedAt) {
                long opened = mvStore.getCurrentVersion();
                mvStore.closeImmediately();
                throw damaged(file, "it opens at version " + opened + " but was closed at version " + closedAt
                        + ", so its latest changes are lost (to start with what is left, delete " + closedVersion.file + ")");
            }
            MVStateStore store = new MVStateStore(mvStore, file, closedVersion, !existed);
            ownerOnly(file);
            return store;
        } catch (MVStoreException e) {
            String firstLine = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw new RingchatException("cannot open the store " + file + ": another node is using this data directory",
                        e);
            }
            if (e.getErrorCode() == DataUtils.ERROR_FILE_CORRUPT || e.getErrorCode() == DataUtils.ERROR_READING_FAILED) {
                throw damaged(file, firstLine);
            }
            throw new RingchatException("cannot open the store " + file + ": " + firstLine, e);
        } catch (java.io.IOException e) {
            throw new RingchatException("cannot open the store in the data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static RingchatException damaged(Path file, String how) {
        return new RingchatException("the store " + file + " is damaged: " + how
                + "; restore the data directory from a backup, or move it away to start a new node");
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
    public boolean isNew() {
        return isNew;
    }

    @Override
    public String toString() {
        return file.toString();
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        try {
            housekeeping.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.commit();
        long version = store.getCurrentVersion();
        store.close();
        try {
            closedVersion.write(version);
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not note the version the store was closed at in "
                    + closedVersion.file + ": " + e.getMessage());
        }
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
