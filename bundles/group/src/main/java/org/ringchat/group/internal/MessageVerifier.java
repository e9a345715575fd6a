package org.ringchat.group.internal;

import java.util.Arrays;
import java.util.Map;

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
 * first when it is full. The expensive check runs outside the lock.
 */
final class MessageVerifier {

    private final NodeIdentity crypto;
    private final Map<SignedRoot, Boolean> verified;

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
        boolean known;
        synchronized (verified) {
            known = verified.get(key) != null;
        }
        if (!known && !message.signsDigest(crypto, root)) {
            return false;
        }
        if (!known) {
            synchronized (verified) {
                verified.put(key, Boolean.TRUE);
            }
        }
        message.signatureVerified();
        return true;
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
