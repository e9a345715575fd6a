package org.ringchat.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.api.PeerId;
import org.ringchat.api.RingchatException;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.state.internal.MVStateStore;

class Ed25519IdentityTest {

    private static final byte[] DATA = "hello ring".getBytes(StandardCharsets.UTF_8);

    private static Provider bouncyCastle;

    @TempDir
    Path dir;

    @BeforeAll
    static void provider() {
        bouncyCastle = new BouncyCastleProvider();
    }

    /** Loads the identity from the store in a data directory, as a node starting there does. */
    private static Ed25519Identity load(Path dataDir) {
        try (MVStateStore store = MVStateStore.open(dataDir)) {
            return Ed25519Identity.loadOrCreate(store, bouncyCastle);
        }
    }

    private static byte[] storedRecord(Path dataDir) {
        try (MVStateStore store = MVStateStore.open(dataDir)) {
            return store.map(Ed25519Identity.STORE_MAP).get(Ed25519Identity.STORE_KEY);
        }
    }

    @Test
    void createsKeyOnceAndReloadsTheSameIdentity() {
        Path dataDir = dir.resolve("nested/data");
        Ed25519Identity first = load(dataDir);
        byte[] stored = storedRecord(dataDir);

        Ed25519Identity second = load(dataDir);

        assertEquals(first.peerId(), second.peerId());
        assertArrayEquals(first.publicKey(), second.publicKey());
        assertEquals(PeerId.fromPublicKey(first.publicKey()), first.peerId());
        assertEquals(NodeIdentity.PUBLIC_KEY_LENGTH, first.publicKey().length);
        assertArrayEquals(stored, storedRecord(dataDir), "reloading must not rewrite the key");
        assertEquals(Ed25519Identity.RECORD_LENGTH, stored.length);
    }

    @Test
    void differentDirectoriesGetDifferentIdentities() {
        assertFalse(load(dir.resolve("a")).peerId().equals(load(dir.resolve("b")).peerId()));
    }

    @Test
    void signaturesVerifyAndTamperingIsDetected() {
        Ed25519Identity identity = load(dir.resolve("a"));
        Ed25519Identity other = load(dir.resolve("b"));
        byte[] signature = identity.sign(DATA);
        assertEquals(NodeIdentity.SIGNATURE_LENGTH, signature.length);

        assertTrue(identity.verify(identity.publicKey(), DATA, signature));
        assertTrue(other.verify(identity.publicKey(), DATA, signature), "any identity verifies any key's signature");

        byte[] tamperedData = DATA.clone();
        tamperedData[0] ^= 1;
        assertFalse(identity.verify(identity.publicKey(), tamperedData, signature));
        byte[] tamperedSignature = signature.clone();
        tamperedSignature[10] ^= 1;
        assertFalse(identity.verify(identity.publicKey(), DATA, tamperedSignature));
        assertFalse(identity.verify(other.publicKey(), DATA, signature), "wrong key");
    }

    @Test
    void malformedKeysAndSignaturesAreRejectedWithoutException() {
        Ed25519Identity identity = load(dir);
        byte[] signature = identity.sign(DATA);
        byte[] key = identity.publicKey();

        assertFalse(identity.verify(Arrays.copyOf(key, 31), DATA, signature));
        assertFalse(identity.verify(Arrays.copyOf(key, 33), DATA, signature));
        assertFalse(identity.verify(new byte[32], DATA, signature));
        byte[] notACurvePoint = new byte[32];
        Arrays.fill(notACurvePoint, (byte) 0xff);
        assertFalse(identity.verify(notACurvePoint, DATA, signature));
        assertFalse(identity.verify(key, DATA, Arrays.copyOf(signature, 63)));
        assertFalse(identity.verify(key, DATA, new byte[64]));
        assertFalse(identity.verify(key, DATA, new byte[0]));
        assertFalse(identity.verify(null, DATA, signature));
        assertFalse(identity.verify(key, null, signature));
        assertFalse(identity.verify(key, DATA, null));
    }

    @Test
    void signaturesAreStandardEd25519() throws Exception {
        Ed25519Identity identity = load(dir);

        Signature jdkVerifier = Signature.getInstance("Ed25519");
        jdkVerifier.initVerify(identity.certificate().getPublicKey());
        jdkVerifier.update(DATA);
        assertTrue(jdkVerifier.verify(identity.sign(DATA)), "the JDK accepts our signature under the certificate's key");

        Signature jdkSigner = Signature.getInstance("Ed25519");
        jdkSigner.initSign(identity.tlsPrivateKey());
        jdkSigner.update(DATA);
        assertTrue(identity.verify(identity.publicKey(), DATA, jdkSigner.sign()), "the TLS key is the identity's key");
    }

    @Test
    void certificateIsSelfSignedForTheIdentityKey() throws Exception {
        Ed25519Identity identity = load(dir);
        X509Certificate certificate = identity.certificate();

        byte[] encodedKey = certificate.getPublicKey().getEncoded();
        assertEquals(44, encodedKey.length);
        assertArrayEquals(identity.publicKey(), Arrays.copyOfRange(encodedKey, 12, 44));
        assertEquals("CN=" + identity.peerId(), certificate.getSubjectX500Principal().getName());
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        certificate.verify(certificate.getPublicKey());
        certificate.checkValidity();
        assertTrue(Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()).toDays() > 99 * 365);
        assertEquals("EdDSA", identity.tlsPrivateKey().getAlgorithm());
    }

    @Test
    void aDamagedStoredKeyIsReportedNotReplaced() {
        load(dir);
        byte[] valid = storedRecord(dir);

        assertDamaged(Arrays.copyOf(valid, 40), "expected 88 bytes, found 40");
        assertDamaged(new byte[0], "expected 88 bytes, found 0");
        byte[] wrongHeader = valid.clone();
        wrongHeader[0] = 'X';
        assertDamaged(wrongHeader, "ringchat key header");
        byte[] flippedSeedBit = valid.clone();
        flippedSeedBit[Ed25519Identity.MAGIC.length + 3] ^= 1;
        assertDamaged(flippedSeedBit, "does not match the stored public key");
    }

    private void assertDamaged(byte[] record, String reason) {
        try (MVStateStore store = MVStateStore.open(dir)) {
            store.map(Ed25519Identity.STORE_MAP).put(Ed25519Identity.STORE_KEY, record);
            store.commit();
            RingchatException e = assertThrows(RingchatException.class, () -> Ed25519Identity.loadOrCreate(store, bouncyCastle));
            assertTrue(e.getMessage().contains(reason), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line");
            assertArrayEquals(record, store.map(Ed25519Identity.STORE_MAP).get(Ed25519Identity.STORE_KEY),
                    "the damaged key is left as it was");
        }
    }

    @Test
    void aStoreThatIsNotNewButHoldsNoKeyIsRefusedAndGetsNoNewIdentity() {
        try (MVStateStore store = MVStateStore.open(dir)) {
            store.map("groups").put("g", new byte[] {1});
            store.commit();
        }
        try (MVStateStore store = MVStateStore.open(dir)) {
            RingchatException e = assertThrows(RingchatException.class, () -> Ed25519Identity.loadOrCreate(store, bouncyCastle));
            assertTrue(e.getMessage().contains(dir.resolve(MVStateStore.FILE_NAME).toString()), "names the file: " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line");
            assertEquals(null, store.map(Ed25519Identity.STORE_MAP).get(Ed25519Identity.STORE_KEY), "no key was made");
        }
    }

    /** The case: the node's store emptied after a clean stop started a node with a new identity. */
    @Test
    void anEmptiedStoreNeverStartsANewIdentity() throws java.io.IOException {
        load(dir);
        java.nio.file.Files.write(dir.resolve(MVStateStore.FILE_NAME), new byte[0]);
        RingchatException e = assertThrows(RingchatException.class, () -> load(dir));
        assertTrue(e.getMessage().contains("is damaged"), e.getMessage());
        java.nio.file.Files.delete(dir.resolve(MVStateStore.FILE_NAME));
        assertThrows(RingchatException.class, () -> load(dir), "nor a deleted one");
    }

    @Test
    void keysAreDecodedOnceAndSignaturesStillVerifyAfterTheirCacheFilledAndStartedAgain() {
        Ed25519Identity identity = load(dir.resolve("a"));
        Ed25519Identity other = load(dir.resolve("b"));
        DecodedKeys keys = new DecodedKeys();
        assertSame(keys.point(identity.publicKey()), keys.point(identity.publicKey()), "decoded once");

        byte[] signature = identity.sign(DATA);
        java.security.SecureRandom random = new java.security.SecureRandom();
        for (int i = 0; i < 3 * DecodedKeys.CAPACITY; i++) { // about half of all 32-byte strings encode a point
            byte[] key = new byte[32];
            random.nextBytes(key);
            keys.point(key);
            assertFalse(identity.verify(key, DATA, signature));
        }
        assertTrue(keys.size() <= DecodedKeys.CAPACITY, "bounded: " + keys.size());
        assertTrue(identity.verify(identity.publicKey(), DATA, signature));
        assertFalse(identity.verify(other.publicKey(), DATA, signature));
    }
}
