package org.ringchat.group.internal;

import java.util.Arrays;
import java.util.Map;

/**
 * The nodes of the batch trees whose signatures this node verified lately, each tree under its signature.
 * A message of such a batch is checked by hashing its way up only until it meets a node of the tree, and
 * then comparing the siblings it names above that with the tree's: in a batch that comes in order, a hash
 * or two a message where the way to the root costs one a level. The comparison is exact: a message passes
 * only when its leaf, index and every sibling lead to the verified root, as hashing up to it would find;
 * anything else is left to the whole check.
 *
 * <p>A node is known once a message that passed had it on its way up or named it as a sibling, so every
 * node known lies in a verified tree; and above a known node, its ancestors and their siblings are known
 * too, since the message that made it known had them on its way or named them.
 */
final class VerifiedTrees {

    /**
     * The most trees kept, 16 KB each at most (256 leaves; 4 KB at 64): enough for the batches going round now.
     */
    static final int MAX_TREES = 64;

    private final Map<Signature, Tree> trees;

    /** @param capacity the trees kept, the least recently used going first */
    VerifiedTrees(int capacity) {
        trees = Bounded.leastRecentlyUsedOut(capacity);
    }

    /** Whether the message, of a batch, leads to a verified root; learns the nodes on its way if it does. */
    boolean leadToVerifiedRoot(SignedMessage message, byte[] leaf) {
        Tree tree;
        synchronized (trees) {
            tree = trees.get(new Signature(message));
        }
        return tree != null && tree.leadsToRoot(message, leaf);
    }

    /** A message of a batch whose signature verified, and the nodes from its leaf to its root. */
    void verified(SignedMessage message, byte[][] path) {
        Signature signature = new Signature(message);
        Tree tree;
        synchronized (trees) {
            tree = trees.computeIfAbsent(signature, s -> new Tree(message.batchDepth()));
        }
        tree.learn(message, path, message.batchDepth());
    }

    /**
     * What a batch signature covers besides its root: its author, the scheme, which says how leaves are made,
     * and the tree's depth; compared by content.
     */
    private record Signature(byte[] authorKey, int scheme, int depth, byte[] bytes) {

        Signature(SignedMessage message) {
            this(message.authorKey, message.scheme(), message.batchDepth(), message.signature);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature other && scheme == other.scheme && depth == other.depth
                    && Arrays.equals(bytes, other.bytes)
                    && Arrays.equals(authorKey, other.authorKey);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** The known nodes of one tree; the threads that check messages of one batch at once take turns. */
    private static final class Tree {

        private static final int HASH = MerkleTree.HASH_LENGTH;

        private final int depth;
        /**
         * The nodes' hashes one after another, level by level from the root down: the root at 0, the nodes of
         * level l from (2^(depth - l)) - 1. One array, not one a node: a tree is kept a while, and each object
         * in it would be copied by the young collections it outlives.
         */
        private final byte[] nodes;
        /** Which nodes are known, a bit each. */
        private final long[] known;

        Tree(int depth) {
            this.depth = depth;
            int count = (1 << depth + 1) - 1;
            this.nodes = new byte[count * HASH];
            this.known = new long[(count + 63) / 64];
        }

        synchronized boolean leadsToRoot(SignedMessage message, byte[] leaf) {
            int index = message.batchIndex;
            byte[][] path = new byte[depth + 1][];
            path[0] = leaf;
            int level = 0;
            while (!isKnown(at(level, index >>> level))) {
                path[level + 1] = message.parentOf(path[level], level);
                level++;
            }
            int met = at(level, index >>> level) * HASH;
            if (!Arrays.equals(path[level], 0, HASH, nodes, met, met + HASH)) {
                return false;
            }
            for (int above = level; above < depth; above++) {
                int sibling = at(above, index >>> above ^ 1);
                if (!isKnown(sibling) || !message.hasSibling(above, nodes, sibling * HASH)) {
                    return false;
                }
            }
            learn(message, path, level);
            return true;
        }

        /** Learns the message's nodes and siblings below {@code level}; those above it are known. */
        synchronized void learn(SignedMessage message, byte[][] path, int level) {
            int index = message.batchIndex;
            for (int below = 0; below < level; below++) {
                put(at(below, index >>> below), path[below]);
                int sibling = at(below, index >>> below ^ 1);
                message.copySibling(below, nodes, sibling * HASH);
                markKnown(sibling);
            }
            put(at(level, index >>> level), path[level]);
        }

        private void put(int node, byte[] hash) {
            System.arraycopy(hash, 0, nodes, node * HASH, HASH);
            markKnown(node);
        }

        private void markKnown(int node) {
            known[node >>> 6] |= 1L << node;
        }

        private boolean isKnown(int node) {
            return (known[node >>> 6] & 1L << node) != 0;
        }

        private int at(int level, int position) {
            return (1 << depth - level) - 1 + position;
        }
    }
}
