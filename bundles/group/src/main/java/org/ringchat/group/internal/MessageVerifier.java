package org.ringchat.group.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.ringchat.spi.NodeIdentity;

/**
 * Checks messages' signatures, remembering the signatures it found good: the first message of a batch
 * costs an Ed25519 verification, the others of the same batch a leaf, a path of hashes and a lookup; a
 * message checked ahead, on the thread that received it ({@link #verify} from any thread), says so itself
 * and costs the engine nothing.
 *
 * <p>Only signatures that verified are remembered, keyed by everything the check depends on (author key,
 * depth, the batch root or, for a message signed alone, the digest of what it signs, and the signature),
 * so a message is accepted exactly when {@link SignedMessage#hasValidSignature} would accept it, whatever
 * is cached; a forged message cannot put anything into the cache. The least recently used entry goes
 * first when it is full. The expensive check runs outside the lock, once for all threads that ask at the
 * same time.
 */
final class MessageVerifier {

    private final NodeIdentity crypto;
    private final Map<SignedRoot, Boolean> verified;
    /**
     * Signatures being checked now, guarded by {@link #verified}'s lock: the messages of one batch reach a
     * member over several links at once, and a thread that finds the same signature being checked waits for
     * that check (an Ed25519 verification, about 0.1 ms) instead of making its own.
     */
    private final Map<SignedRoot, CompletableFuture<Boolean>> inProgress = new HashMap<>();

    MessageVerifier(NodeIdentity crypto, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity " + capacity);
        }
        this.crypto = crypto;
        this.verified = Bounded.leastRecentlyUsedOut(capacity);
    }

    boolean verify(SignedMessage message) {
        if (message.isSignatureVerified()) {
            return true;
        }
        byte[] root = message.signedDigest();
        SignedRoot key = new SignedRoot(message.authorKey, message.batchDepth(), root, message.signature);
        CompletableFuture<Boolean> checking;
        CompletableFuture<Boolean> mine = null;
        synchronized (verified) {
            if (verified.get(key) != null) {
                message.signatureVerified();
                return true;
            }
            checking = inProgress.get(key);
            if (checking == null) {
                checking = mine = new CompletableFuture<>();
                inProgress.put(key, mine);
            }
        }
        boolean good = mine == null ? checking.join() : check(message, key, root, mine);
        if (good) {
            message.signatureVerified();
        }
        return good;
    }

    /** Verifies a signature no other thread is checking, and tells those that wait for it. */
    private boolean check(SignedMessage message, SignedRoot key, byte[] root, CompletableFuture<Boolean> checking) {
        boolean good = false;
        try {
            good = message.signsDigest(crypto, root);
            return good;
        } finally {
            synchronized (verified) {
                inProgress.remove(key);
                if (good) {
                    verified.put(key, Boolean.TRUE);
                }
            }
            checking.complete(good);
        }
    }

    /** A batch signature that verified; compared by content. */
    private record SignedRoot(byte[] authorKey, int depth, byte[] root, byte[] signature) {

        @Override
        public boolean equals(Object o) {
            return o instanceof SignedRoot other && depth == other.depth && Arrays.equals(root, other.root)
                    && Arrays.equals(authorKey, other.authorKey) && Arrays.equals(signature, other.signature);
        }

        @Override
        public int hashCode() {
            // The root is a SHA-256 hash: spread enough on its own.
            return Arrays.hashCode(root);
        }
    }
}
