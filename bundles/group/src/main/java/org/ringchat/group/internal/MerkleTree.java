package org.ringchat.group.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The SHA-256 Merkle tree over a batch of messages (PROTOCOL.md, "Messages"): 2^depth leaves, the positions
 * past the batch holding {@link #EMPTY_LEAF}; an inner node is SHA-256(0x01 || left || right). Leaves are
 * hashed by their owner with a 0x00 prefix, so no leaf can pass for an inner node or the other way round.
 */
final class MerkleTree {

    /** One digest per thread ({@link #sha256}). */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(MerkleTree::newSha256);

    static final int HASH_LENGTH = 32;
    /** Fills the tree up to a power of two; no message hashes to it (that would take a SHA-256 preimage). */
    static final byte[] EMPTY_LEAF = new byte[HASH_LENGTH];

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    /** levels[0] are the leaves, levels[depth] holds the root alone. */
    private final byte[][][] levels;

    MerkleTree(List<byte[]> leaves, int depth) {
        if (leaves.isEmpty() || leaves.size() > 1 << depth) {
            throw new IllegalArgumentException(leaves.size() + " leaves do not fit a tree of depth " + depth);
        }
        MessageDigest sha256 = sha256();
        levels = new byte[depth + 1][][];
        levels[0] = new byte[1 << depth][];
        for (int i = 0; i < levels[0].length; i++) {
            levels[0][i] = i < leaves.size() ? leaves.get(i) : EMPTY_LEAF;
        }
        for (int level = 1; level <= depth; level++) {
            byte[][] below = levels[level - 1];
            levels[level] = new byte[below.length / 2][];
            for (int i = 0; i < levels[level].length; i++) {
                levels[level][i] = node(sha256, below[2 * i], below[2 * i + 1]);
            }
        }
    }

    /** The smallest depth whose tree holds {@code size} leaves. */
    static int depthFor(int size) {
        return 32 - Integer.numberOfLeadingZeros(size - 1);
    }

    byte[] root() {
        return levels[levels.length - 1][0];
    }

    /** The siblings on the way from leaf {@code index} to the root, bottom up. */
    byte[][] path(int index) {
        byte[][] siblings = new byte[levels.length - 1][];
        for (int level = 0; level < siblings.length; level++) {
            siblings[level] = levels[level][(index >>> level) ^ 1];
        }
        return siblings;
    }

    /** The leaf of a message whose signed bytes are {@code domain || content}. */
    static byte[] leaf(byte[] domain, byte[] content) {
        return leaf(domain, content, content.length);
    }

    /** The same, of a content that is the first {@code length} bytes of {@code bytes}. */
    static byte[] leaf(byte[] domain, byte[] bytes, int length) {
        MessageDigest sha256 = sha256();
        sha256.update(LEAF_PREFIX);
        sha256.update(domain);
        sha256.update(bytes, 0, length);
        return sha256.digest();
    }

    /** The leaf of a message whose signed bytes are {@code domain || digest || bytes[at, at + length)}. */
    static byte[] leaf(byte[] domain, byte[] digest, byte[] bytes, int at, int length) {
        MessageDigest sha256 = sha256();
        sha256.update(LEAF_PREFIX);
        sha256.update(domain);
        sha256.update(digest);
        sha256.update(bytes, at, length);
        return sha256.digest();
    }

    /**
     * The nodes on the way from a leaf at {@code index} to the root: the leaf at [0], the root at [depth]. Bit i
     * of the index says the node at level i is a right child.
     */
    static byte[][] pathUp(byte[] leaf, int index, byte[] siblings, int siblingsAt, int depth) {
        byte[][] path = new byte[depth + 1][];
        path[0] = leaf;
        for (int level = 0; level < depth; level++) {
            path[level + 1] = parent(path[level], index, level, siblings, siblingsAt + level * HASH_LENGTH);
        }
        return path;
    }

    /**
     * The node above {@code node}, which lies at {@code level} on the way up from leaf {@code index}; its sibling
     * is the {@value #HASH_LENGTH} bytes of {@code bytes} from {@code siblingAt}.
     */
    static byte[] parent(byte[] node, int index, int level, byte[] bytes, int siblingAt) {
        boolean right = (index >>> level & 1) == 1;
        MessageDigest sha256 = sha256();
        sha256.update(NODE_PREFIX);
        if (right) {
            sha256.update(bytes, siblingAt, HASH_LENGTH);
            return sha256.digest(node);
        }
        sha256.update(node);
        sha256.update(bytes, siblingAt, HASH_LENGTH);
        return sha256.digest();
    }

    private static byte[] node(MessageDigest sha256, byte[] left, byte[] right) {
        sha256.update(NODE_PREFIX);
        sha256.update(left);
        return sha256.digest(right);
    }

    /**
     * This thread's SHA-256 digest, reset (also for message IDs, {@link SignedMessage}): every message takes
     * several, and a fresh one, looked up or copied, cost more allocation than the message's own copies. A
     * caller finishes with it (calls {@code digest()}) before it calls anything that hashes; the reset here
     * (free when it was finished) undoes a use that an exception cut short.
     */
    static MessageDigest sha256() {
        MessageDigest sha256 = SHA256.get();
        sha256.reset();
        return sha256;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
