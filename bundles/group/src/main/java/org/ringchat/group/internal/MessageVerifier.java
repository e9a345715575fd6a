package org.ringchat.group.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.ringchat.spi.NodeIdentity;

/**
 * Checks messages' signatures, remembering the batch roots it found signed: the first message of a batch
 * costs an Ed25519 verification, the others of the same batch a leaf, a path of hashes and a lookup.
 *
 * <p>Only roots whose signature verified are remembered, keyed by everything the signature check depends
 * on (author key, depth, root, signature), so a message is accepted exactly when
 * {@link SignedMessage#hasValidSignature} would accept it, whatever is cached; a forged message cannot
 * put anything into the cache. The least recently used root goes first when it is full.
 *
 * <p>Not thread-safe: the engine uses it from its own thread only, hence a plain access-ordered
 * {@link LinkedHashMap}.
 */
final class MessageVerifier {

    private final NodeIdentity crypto;
    private final Map<SignedRoot, Boolean> verified;

    MessageVerifier(NodeIdentity crypto, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity " + capacity);
        }
        this.crypto = crypto;
        this.verified = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<SignedRoot, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    boolean verify(SignedMessage message) {
        if (message.scheme() == SignedMessage.SCHEME_SINGLE) {
            // Nothing to share with other messages: a cache would only hold what never comes again.
            return message.hasValidSignature(crypto);
        }
        byte[] root = message.batchRoot();
        SignedRoot key = new SignedRoot(message.authorKey, message.batchDepth(), root, message.signature);
        if (verified.get(key) != null) {
            return true;
        }
        if (!message.signsRoot(crypto, root)) {
            return false;
        }
        verified.put(key, Boolean.TRUE);
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
