package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringchat.group.internal.BatchSignatureTest.AUTHOR;
import static org.ringchat.group.internal.BatchSignatureTest.authAt;
import static org.ringchat.group.internal.BatchSignatureTest.decode;
import static org.ringchat.group.internal.BatchSignatureTest.drafts;
import static org.ringchat.group.internal.BatchSignatureTest.encode;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ringchat.group.internal.BatchSignatureTest.CountingIdentity;

class VerifiedTreesTest {

    private static final int DEPTH = 3;

    private final CountingIdentity crypto = new CountingIdentity(AUTHOR);
    private final MessageVerifier verifier = new MessageVerifier(crypto, 1024);
    private final List<SignedMessage> batch = SignedMessage.signBatch(AUTHOR, drafts(1 << DEPTH));

    @Test
    void afterOneMessageOfABatchEveryOtherFindsItsWayInTheTreeInAnyOrder() {
        VerifiedTrees trees = new VerifiedTrees(4);
        SignedMessage first = batch.get(5);
        trees.verified(first, first.signedPath(first.leaf()));
        for (int i : new int[] {4, 6, 0, 7, 1, 3, 2, 5}) {
            SignedMessage m = decode(encode(batch.get(i)));
            assertTrue(trees.leadToVerifiedRoot(m, m.leaf()), "message " + i);
        }
    }

    @Test
    void aTreeNotVerifiedLeadsNowhere() {
        VerifiedTrees trees = new VerifiedTrees(4);
        SignedMessage m = batch.get(0);
        assertFalse(trees.leadToVerifiedRoot(m, m.leaf()));
        SignedMessage ofAnotherBatch = SignedMessage.signBatch(AUTHOR, drafts(1 << DEPTH)).get(0);
        trees.verified(ofAnotherBatch, ofAnotherBatch.signedPath(ofAnotherBatch.leaf()));
        assertFalse(trees.leadToVerifiedRoot(m, m.leaf()));
    }

    @Test
    void aSiblingChangedAtAnyLevelIsRefusedWhereverTheMessageMeetsTheTree() {
        assertTrue(verifier.verify(batch.get(0)));
        assertTrue(verifier.verify(batch.get(2)));
        // Message 1's leaf is known (message 0 named it), and message 3's (message 2 named it); message 6 meets
        // the tree at level 2, where message 0 named the node above the right half's leaves.
        for (int i : new int[] {1, 3, 6}) {
            for (int level = 0; level < DEPTH; level++) {
                byte[] bytes = encode(batch.get(i));
                bytes[authAt(batch.get(i)) + 4 + 32 * level + 7] ^= 1;
                assertFalse(verifier.verify(decode(bytes)), "message " + i + ", sibling at level " + level);
            }
        }
        assertEquals(1 + 3 * DEPTH, crypto.verifies, "refused by the tree, each then checked whole and refused");
        for (SignedMessage m : batch) {
            assertTrue(verifier.verify(decode(encode(m))));
        }
        assertEquals(1 + 3 * DEPTH, crypto.verifies, "the genuine messages pass by the tree, which nothing spoilt");
    }

    @Test
    void aMessageUnderAnotherIndexOrWithAnotherTextIsRefused() {
        assertTrue(verifier.verify(batch.get(0)));
        SignedMessage third = batch.get(3);
        for (int index = 0; index < 1 << DEPTH; index++) {
            if (index != 3) {
                byte[] bytes = encode(third);
                int at = authAt(third) + 2;
                bytes[at] = (byte) (index >>> 8);
                bytes[at + 1] = (byte) index;
                assertFalse(verifier.verify(decode(bytes)), "message 3 as message " + index);
            }
        }
        byte[] bytes = encode(batch.get(1));
        bytes[authAt(batch.get(1)) - 1] ^= 1; // the last byte of its text
        assertFalse(verifier.verify(decode(bytes)), "message 1, whose leaf message 0 named, with another text");
        assertTrue(verifier.verify(decode(encode(third))));
        assertTrue(verifier.verify(decode(encode(batch.get(1)))));
    }

    @Test
    void theLeastRecentlyUsedTreeMakesRoom() {
        VerifiedTrees trees = new VerifiedTrees(2);
        List<SignedMessage> a = SignedMessage.signBatch(AUTHOR, drafts(2));
        List<SignedMessage> b = SignedMessage.signBatch(AUTHOR, drafts(2));
        List<SignedMessage> c = SignedMessage.signBatch(AUTHOR, drafts(2));
        trees.verified(a.get(0), a.get(0).signedPath(a.get(0).leaf()));
        trees.verified(b.get(0), b.get(0).signedPath(b.get(0).leaf()));
        assertTrue(trees.leadToVerifiedRoot(a.get(1), a.get(1).leaf())); // b is the least recent now
        trees.verified(c.get(0), c.get(0).signedPath(c.get(0).leaf()));
        assertFalse(trees.leadToVerifiedRoot(b.get(1), b.get(1).leaf()), "b made room");
        assertTrue(trees.leadToVerifiedRoot(a.get(1), a.get(1).leaf()));
        assertTrue(trees.leadToVerifiedRoot(c.get(1), c.get(1).leaf()));
    }
}
