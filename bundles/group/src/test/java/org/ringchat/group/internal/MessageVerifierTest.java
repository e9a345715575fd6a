package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringchat.group.internal.BatchSignatureTest.AUTHOR;
import static org.ringchat.group.internal.BatchSignatureTest.decode;
import static org.ringchat.group.internal.BatchSignatureTest.drafts;
import static org.ringchat.group.internal.BatchSignatureTest.encode;
import static org.ringchat.group.internal.BatchSignatureTest.withAuthorKey;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ringchat.group.internal.BatchSignatureTest.CountingIdentity;
import org.ringchat.spi.NodeIdentity;

class MessageVerifierTest {

    private final CountingIdentity crypto = new CountingIdentity(AUTHOR);
    private final MessageVerifier verifier = new MessageVerifier(crypto, 1024);

    @Test
    void aWholeBatchCostsOneEd25519Verification() {
        List<SignedMessage> batch = SignedMessage.signBatch(AUTHOR, drafts(64));
        for (SignedMessage m : batch) {
            assertTrue(verifier.verify(m));
        }
        assertEquals(1, crypto.verifies);
        // Decoded anew, as relayed or caught up one by one, in another order.
        for (int i = batch.size() - 1; i >= 0; i--) {
            assertTrue(verifier.verify(decode(encode(batch.get(i)))));
        }
        assertEquals(1, crypto.verifies);
    }

    @Test
    void aMessageSignedAloneIsVerifiedOnceAndItsSignatureVouchesForNoOtherText() {
        SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0);
        assertEquals(SignedMessage.SCHEME_SINGLE, m.scheme());
        assertTrue(verifier.verify(m));
        assertTrue(verifier.verify(decode(encode(m))), "checked ahead on the receiving thread, found again by the engine");
        assertEquals(1, crypto.verifies);

        byte[] altered = encode(m);
        int at = indexOf(altered, m.text().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        altered[at] ^= 1;
        assertFalse(verifier.verify(decode(altered)), "the cached signature does not cover another text");
    }

    @Test
    void aMessageFoundGoodIsNotCheckedAgainWhenItsSignatureHasLeftTheCache() {
        MessageVerifier oneEntry = new MessageVerifier(crypto, 1);
        SignedMessage first = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0);
        SignedMessage second = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0);
        assertTrue(oneEntry.verify(first), "checked ahead, on the thread that received it");
        assertTrue(oneEntry.verify(second)); // pushes the first one's signature out
        assertTrue(oneEntry.verify(first), "checked again by the engine");
        assertEquals(2, crypto.verifies);
        assertTrue(oneEntry.verify(decode(encode(first))), "the same message decoded anew is checked anew");
        assertEquals(3, crypto.verifies);
    }

    @Test
    void threadsThatCheckTheSameSignatureAtOnceVerifyItOnce() throws Exception {
        java.util.concurrent.CountDownLatch inVerification = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch finish = new java.util.concurrent.CountDownLatch(1);
        CountingIdentity slow = new CountingIdentity(AUTHOR) {
            @Override
            public boolean verify(byte[] publicKey, byte[] data, byte[] signature) {
                boolean good = super.verify(publicKey, data, signature);
                inVerification.countDown();
                try {
                    finish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return good;
            }
        };
        MessageVerifier shared = new MessageVerifier(slow, 1024);
        List<SignedMessage> batch = SignedMessage.signBatch(AUTHOR, drafts(2));
        boolean[] results = new boolean[2];
        Thread first = new Thread(() -> results[0] = shared.verify(decode(encode(batch.get(0)))));
        Thread second = new Thread(() -> results[1] = shared.verify(decode(encode(batch.get(1)))));
        first.start();
        inVerification.await();
        second.start();
        // The second waits for the first's check, where it would otherwise be in a verification of its own.
        while (second.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        assertEquals(1, slow.verifies);
        finish.countDown();
        first.join();
        second.join();
        assertTrue(results[0] && results[1]);
        assertEquals(1, slow.verifies);
    }

    @Test
    void threadsCheckingAheadShareTheCacheSafely() throws Exception {
        List<SignedMessage> messages = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            messages.addAll(SignedMessage.signBatch(AUTHOR, drafts(16)));
        }
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (SignedMessage m : messages) {
                results.add(threads.submit(() -> verifier.verify(decode(encode(m)))));
            }
            for (java.util.concurrent.Future<Boolean> result : results) {
                assertTrue(result.get());
            }
        } finally {
            threads.shutdown();
        }
        assertTrue(crypto.verifies <= 8 * 4, "at most one check per batch and thread, not one per message: "
                + crypto.verifies);
    }

    @Test
    void aForgedMessageWithTheRootOfAGenuineBatchIsNotCachedAndSpoilsNothing() {
        List<SignedMessage> batch = SignedMessage.signBatch(AUTHOR, drafts(8));
        // The genuine leaf and path, so the root is the batch's, but a signature the author never made.
        byte[] bytes = encode(batch.get(0));
        Arrays.fill(bytes, bytes.length - NodeIdentity.SIGNATURE_LENGTH, bytes.length, (byte) 0x5a);
        SignedMessage forged = decode(bytes);
        assertFalse(verifier.verify(forged));
        assertFalse(verifier.verify(forged));
        assertEquals(2, crypto.verifies, "a failure is checked again each time, never remembered");

        for (SignedMessage m : batch) {
            assertTrue(verifier.verify(m));
        }
        assertEquals(3, crypto.verifies, "the genuine batch: one more verification");
        assertFalse(verifier.verify(forged), "still refused with the genuine root cached");
    }

    @Test
    void aForgedBatchUnderAnotherAuthorsKeyIsNotCached() {
        // A whole batch an attacker signed with its own key but names AUTHOR as author: its roots look fine.
        TestIdentity attacker = new TestIdentity();
        List<SignedMessage> forgedBatch = SignedMessage.signBatch(attacker, drafts(4));
        for (SignedMessage m : forgedBatch) {
            SignedMessage claimed = withAuthorKey(m, AUTHOR.publicKey());
            assertEquals(AUTHOR.peerId(), claimed.author);
            assertFalse(verifier.verify(claimed));
        }
        assertEquals(4, crypto.verifies);
        SignedMessage genuine = SignedMessage.signBatch(AUTHOR, drafts(4)).get(2);
        assertTrue(verifier.verify(genuine));
    }

    @Test
    void theLeastRecentlyUsedRootMakesRoomWhenTheCacheIsFull() {
        MessageVerifier small = new MessageVerifier(crypto, 2);
        List<SignedMessage> a = SignedMessage.signBatch(AUTHOR, drafts(2));
        List<SignedMessage> b = SignedMessage.signBatch(AUTHOR, drafts(2));
        List<SignedMessage> c = SignedMessage.signBatch(AUTHOR, drafts(2));
        small.verify(a.get(0));
        small.verify(b.get(0));
        small.verify(a.get(1)); // a is used again: b is the least recent now
        small.verify(c.get(0)); // b goes
        assertEquals(3, crypto.verifies);
        assertTrue(small.verify(a.get(0)));
        assertTrue(small.verify(c.get(1)));
        assertEquals(3, crypto.verifies, "a and c kept");
        assertTrue(small.verify(b.get(1)));
        assertEquals(4, crypto.verifies, "b verified again");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
