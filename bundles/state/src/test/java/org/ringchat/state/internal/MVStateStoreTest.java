package org.ringchat.state.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.api.RingchatException;

class MVStateStoreTest {

    @TempDir
    Path dir;

    @Test
    void committedEntriesSurviveReopening() {
        try (MVStateStore store = MVStateStore.open(dir)) {
            store.map("groups").put("g1", new byte[] {1, 2, 3});
            store.map("groups").put("g0", new byte[] {4});
            store.commit();
        }
        try (MVStateStore store = MVStateStore.open(dir)) {
            assertArrayEquals(new byte[] {1, 2, 3}, store.map("groups").get("g1"));
            List<String> keys = new ArrayList<>();
            store.map("groups").forEach((k, v) -> keys.add(k));
            assertEquals(List.of("g0", "g1"), keys, "iterated in key order");
            assertEquals(2, store.map("groups").size());
            assertNull(store.map("other").get("g1"));
        }
    }

    @Test
    void theStoreFileIsReadableByItsOwnerOnly() throws java.io.IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.FileSystems.getDefault()
                .supportedFileAttributeViews().contains("posix"));
        try (MVStateStore store = MVStateStore.open(dir)) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(dir.resolve(MVStateStore.FILE_NAME))));
        }
    }

    /**
     * The node's key is stored, committed, and then its array cleared by its owner (so that the key does
     * not linger in memory). The store must have kept a copy: MVStore holds the value array itself in the
     * map's page, returns it from get, and writes it again whenever it rewrites that page to compact its
     * file (in the background, after enough other changes), which is how ChaosIT found the keys of nodes
     * that had run a minute zeroed in their files, so that they could not start again.
     */
    @Test
    void aValueChangedByTheCallerAfterItsPutStaysAsStored() {
        byte[] key = {7, 7, 7, 7};
        try (MVStateStore store = MVStateStore.open(dir)) {
            store.map("identity").put("k", key);
            store.commit();
            java.util.Arrays.fill(key, (byte) 0);
            assertArrayEquals(new byte[] {7, 7, 7, 7}, store.map("identity").get("k"), "in memory");
            store.map("identity").get("k")[0] = 0;
            assertArrayEquals(new byte[] {7, 7, 7, 7}, store.map("identity").get("k"), "after a reader changed its copy");
            store.map("identity").forEach((k, v) -> v[1] = 0);
            assertArrayEquals(new byte[] {7, 7, 7, 7}, store.map("identity").get("k"), "after a visitor changed its copy");
        }
        try (MVStateStore store = MVStateStore.open(dir)) {
            assertArrayEquals(new byte[] {7, 7, 7, 7}, store.map("identity").get("k"), "in the file");
        }
    }

    @Test
    void removeDeletes() {
        try (MVStateStore store = MVStateStore.open(dir)) {
            store.map("m").put("k", new byte[] {1});
            store.map("m").remove("k");
            assertNull(store.map("m").get("k"));
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsAClearError() {
        try (MVStateStore store = MVStateStore.open(dir)) {
            RingchatException e = assertThrows(RingchatException.class, () -> MVStateStore.open(dir));
            assertTrue(e.getMessage().contains("another node"), e.getMessage());
        }
    }

    @Test
    void onlyAStoreCreatedByItsOpenIsNew() {
        try (MVStateStore store = MVStateStore.open(dir)) {
            assertTrue(store.isNew());
        }
        try (MVStateStore store = MVStateStore.open(dir)) {
            assertFalse(store.isNew());
        }
    }

    /** The cases: damaged after a clean stop, each opened as an older store before. */
    @Test
    void aStoreWhoseLastBytesAreDamagedIsRefusedNamingTheFile() throws IOException {
        storeTwentyMessages();
        byte[] bytes = Files.readAllBytes(file());
        for (int i = bytes.length - 8192; i < bytes.length; i++) {
            bytes[i] ^= 0x55;
        }
        Files.write(file(), bytes);
        assertRefusedAsDamaged("its latest changes are lost");
    }

    @Test
    void aStoreCutToHalfIsRefused() throws IOException {
        storeTwentyMessages();
        byte[] bytes = Files.readAllBytes(file());
        Files.write(file(), Arrays.copyOf(bytes, bytes.length / 2));
        assertRefusedAsDamaged("its latest changes are lost");
    }

    @Test
    void anEmptiedStoreIsRefused() throws IOException {
        storeTwentyMessages();
        Files.write(file(), new byte[0]);
        assertRefusedAsDamaged("it holds 0 bytes");
    }

    @Test
    void aDeletedStoreIsRefusedWhereOneWas() throws IOException {
        storeTwentyMessages();
        Files.delete(file());
        assertRefusedAsDamaged("it is missing");
    }

    @Test
    void aStoreOverwrittenWithGarbageIsRefused() throws IOException {
        storeTwentyMessages();
        byte[] bytes = Files.readAllBytes(file());
        Arrays.fill(bytes, (byte) 0x31);
        Files.write(file(), bytes);
        Files.delete(dir.resolve(MVStateStore.FILE_NAME + ClosedVersion.SUFFIX));
        assertRefusedAsDamaged("");
    }

    @Test
    void whatIsLeftOpensOnceTheNotedVersionIsDeleted() throws IOException {
        storeTwentyMessages();
        byte[] bytes = Files.readAllBytes(file());
        Files.write(file(), Arrays.copyOf(bytes, bytes.length / 2));
        Files.delete(dir.resolve(MVStateStore.FILE_NAME + ClosedVersion.SUFFIX));
        try (MVStateStore store = MVStateStore.open(dir)) {
            assertTrue(store.map("messages").size() < 20, "fewer, as the user chose");
            assertArrayEquals(new byte[] {42}, store.map("identity").get("key"));
        }
    }

    private void storeTwentyMessages() {
        try (MVStateStore store = MVStateStore.open(dir)) {
            store.map("identity").put("key", new byte[] {42});
            store.commit();
            for (int i = 0; i < 20; i++) {
                store.map("messages").put("m" + i, new byte[1200]);
                store.commit();
            }
        }
        try (MVStateStore store = MVStateStore.open(dir)) {
            assertEquals(20, store.map("messages").size(), "a clean close opens whole");
        }
    }

    private void assertRefusedAsDamaged(String how) {
        RingchatException refused = assertThrows(RingchatException.class, () -> MVStateStore.open(dir));
        assertTrue(refused.getMessage().startsWith("the store " + file() + " is damaged: "), refused.getMessage());
        assertTrue(refused.getMessage().contains(how), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), "one line: " + refused.getMessage());
    }

    private Path file() {
        return dir.resolve(MVStateStore.FILE_NAME);
    }
}
