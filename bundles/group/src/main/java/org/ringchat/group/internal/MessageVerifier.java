package org.ringchat.group.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.ringchat.spi.NodeIdentity;

/**
 * Checks messages' signatures, remembering those it found good: the first message of a batch costs an
 * Ed25519 verification, the others of the same batch a leaf and a hash or two up to a node of the batch's
 * tree ({@link VerifiedTrees}); a message signed alone that comes again, its digest and a lookup. A message
 * checked ahead, on the thread that received it ({@link #verify} from any thread), says so itself and costs
 * the engine nothing.
 *
 * <p>Only signatures that verified are remembered, keyed by everything the check depends on (author key,
 * signature, and the digest signed: a batch's tree leads to it), so a message is accepted exactly when
 * {@link SignedMessage#hasValidSignature} would accept it, whatever is remembered; a forged message cannot
 * put anything there. The least recently used go first. The expensive check runs outside the locks, once
 * for all threads that ask at the same time.
 */
final class MessageVerifier {

    private final NodeIdentity crypto;
    /** Messages signed alone (scheme 1) whose signature verified. */
    private final Map<SignedRoot, Boolean> verified;
    /**
     * Signatures being checked now, guarded by {@link #verified}'s lock: the messages of one batch reach a
     * member over several links at once, and a thread that finds the same signature being checked waits for
     * that check (an Ed25519 verification, about 0.1 ms) instead of making its own.
     */
    private final Map<SignedRoot, CompletableFuture<Boolean>> inProgress = new HashMap<>();
    /** Batches whose signature verified, with the nodes of their trees known so far. */
    private final VerifiedTrees trees;

    /** @param capacity the messages signed alone kept, and as many batches, at most {@value VerifiedTrees#MAX_TREES} */
    MessageVerifier(NodeIdentity crypto, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity " + capacity);
        }
        this.crypto = crypto;
        this.verified = Bounded.leastRecentlyUsedOut(capacity);
        this.trees = new VerifiedTrees(Math.min(capacity, VerifiedTrees.MAX_TREES));
    }

    boolean verify(SignedMessage message) {
        if (message.isSignatureVerified()) {
            return true;
        }
        byte[] leaf = message.leaf();
        boolean batch = message.isBatch();
        if (batch && trees.leadToVerifiedRoot(message, leaf)) {
            message.signatureVerified();
            return true;
        }
        byte[][] path = message.signedPath(leaf);
        SignedRoot key = new SignedRoot(message.authorKey, message.scheme(), message.batchDepth(),
                path[path.length - 1], message.signature);
        CompletableFuture<Boolean> checking;
        CompletableFuture<Boolean> mine = null;
        synchronized (verified) {
            if (!batch && verified.get(key) != null) {
                message.signatureVerified();
                return true;
            }
            checking = inProgress.get(key);
            if (checking == null) {
                checking = mine = new CompletableFuture<>();
                inProgress.put(key, mine);
            }
        }
        boolean good = mine == null ? checking.join() : check(message, key, path, mine);
        if (good) {
            message.signatureVerified();
        }
        return good;
    }

    /**
     * Verifies a signature no other thread is checking, remembers it if good, and then tells those that wait
     * for it, which find it remembered for the messages after theirs.
     */
    private boolean check(SignedMessage message, SignedRoot key, byte[][] path, CompletableFuture<Boolean> checking) {
        boolean batch = message.isBatch();
        boolean good = false;
        try {
            good = message.signsDigest(crypto, key.root());
            if (good && batch) {
                trees.verified(message, path);
            }
            return good;
        } finally {
            synchronized (verified) {
                inProgress.remove(key);
                if (good && !batch) {
                    verified.put(key, Boolean.TRUE);
                }
            }
            checking.complete(good);
        }
    }

    /** A signature and what it signs; compared by content. */
    private record SignedRoot(byte[] authorKey, int scheme, int depth, byte[] root, byte[] signature) {

        @Override
        public boolean equals(Object o) {
            return o instanceof SignedRoot other && scheme == other.scheme && depth == other.depth
                    && Arrays.equals(root, other.root)
                    && Arrays.equals(authorKey, other.authorKey) && Arrays.equals(signature, other.signature);
        }

        @Override
        public int hashCode() {
            // The root is a SHA-256 hash: spread enough on its own.
            return Arrays.hashCode(root);
        }
    }
}
