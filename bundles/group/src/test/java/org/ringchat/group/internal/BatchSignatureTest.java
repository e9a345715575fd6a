package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.state.log.OpHash;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/** Batch signatures (scheme 3; scheme 2 as earlier versions wrote it) and their encoding: PROTOCOL.md, "Messages". */
class BatchSignatureTest {

    static final TestIdentity AUTHOR = new TestIdentity();
    private static final TestIdentity OTHER = new TestIdentity();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final GroupId GROUP = GroupId.random(RANDOM);
    private static final OpHash STATE_HEAD = OpHash.fromBytes(new byte[OpHash.LENGTH]);

    static List<SignedMessage.Draft> drafts(int count) {
        List<SignedMessage.Draft> drafts = new ArrayList<>();
        MessageId parent = MessageId.random(RANDOM);
        for (int i = 0; i < count; i++) {
            MessageId id = MessageId.random(RANDOM);
            drafts.add(new SignedMessage.Draft(GROUP, id, List.of(parent), Instant.ofEpochMilli(1_000_000 + i),
                    List.of(STATE_HEAD), "message " + i));
            parent = id;
        }
        return drafts;
    }

    static byte[] encode(SignedMessage message) {
        WireWriter w = new WireWriter();
        message.write(w);
        return w.toByteArray();
    }

    static SignedMessage decode(byte[] bytes) {
        WireReader r = new WireReader(bytes);
        SignedMessage message = SignedMessage.read(r);
        r.expectEnd();
        return message;
    }

    /** The message with another author key in its place, everything else kept. */
    static SignedMessage withAuthorKey(SignedMessage m, byte[] key) {
        byte[] bytes = encode(m);
        int keyAt = GroupId.LENGTH + MessageId.LENGTH + 2 + m.parents.size() * MessageId.LENGTH;
        System.arraycopy(key, 0, bytes, keyAt, NodeIdentity.PUBLIC_KEY_LENGTH);
        return decode(bytes);
    }

    /** Where the authentication (the scheme byte) starts in the encoding. */
    static int authAt(SignedMessage message) {
        int path = message.isBatch() ? 1 + 2 + message.batchDepth() * 32 : 0;
        return message.encodedLength() - 1 - path - NodeIdentity.SIGNATURE_LENGTH;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 33, 64, 65, 256, 257})
    void everyMessageOfABatchVerifiesAndSurvivesItsEncoding(int size) {
        CountingIdentity author = new CountingIdentity(AUTHOR);
        List<SignedMessage.Draft> drafts = drafts(size);
        List<SignedMessage> messages = SignedMessage.signBatch(author, drafts);

        assertEquals(size, messages.size());
        assertEquals((size + 255) / 256, author.signs, "one signature for every 256 messages");
        MessageVerifier verifier = new MessageVerifier(AUTHOR, 1024);
        for (int i = 0; i < size; i++) {
            SignedMessage m = messages.get(i);
            assertEquals(drafts.get(i).id(), m.id, "in the order of the drafts");
            assertEquals(drafts.get(i).text(), m.text());
            assertEquals(AUTHOR.peerId(), m.author);
            assertTrue(m.hasValidSignature(AUTHOR), "message " + i);
            assertTrue(verifier.verify(m), "message " + i);

            byte[] encoded = encode(m);
            assertEquals(encoded.length, m.encodedLength());
            SignedMessage decoded = decode(encoded);
            assertArrayEquals(encoded, encode(decoded));
            assertEquals(m.id, decoded.id);
            assertEquals(m.parents, decoded.parents);
            assertEquals(m.sentAtMillis, decoded.sentAtMillis);
            assertEquals(m.stateHeads, decoded.stateHeads);
            assertEquals(m.text(), decoded.text());
            assertEquals(m.batchIndex, decoded.batchIndex);
            assertArrayEquals(m.signature, decoded.signature);
            assertTrue(decoded.hasValidSignature(AUTHOR));
        }
    }

    @Test
    void aMessageReadAmongOthersGivesItsOwnTextAndBadUtf8IsRefusedWhenRead() {
        MessageId parent = MessageId.random(RANDOM);
        List<SignedMessage> messages = SignedMessage.signBatch(AUTHOR, List.of(
                new SignedMessage.Draft(GROUP, MessageId.random(RANDOM), List.of(parent), Instant.ofEpochMilli(1),
                        List.of(STATE_HEAD), "grüß dich 👋"),
                new SignedMessage.Draft(GROUP, MessageId.random(RANDOM), List.of(parent), Instant.ofEpochMilli(2),
                        List.of(STATE_HEAD), "plain")));
        WireWriter w = new WireWriter().u8(7);
        messages.forEach(m -> m.write(w));
        WireReader r = new WireReader(w.toByteArray());
        r.u8();
        assertEquals("grüß dich 👋", SignedMessage.read(r).text());
        assertEquals("plain", SignedMessage.read(r).text());

        byte[] bad = encode(messages.get(1));
        int textAt = indexOf(bad, "plain".getBytes(StandardCharsets.US_ASCII));
        bad[textAt + 2] = (byte) 0xff;
        assertThrows(MalformedInputException.class, () -> decode(bad));
    }

    private static int indexOf(byte[] in, byte[] part) {
        for (int i = 0; i + part.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void aBatchOfOneIsSignedAloneAsByCreate() {
        SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(1)).get(0);
        assertEquals(SignedMessage.SCHEME_SINGLE, m.scheme());
        byte[] encoded = encode(m);
        assertEquals(SignedMessage.SCHEME_SINGLE, encoded[authAt(m)]);
        assertEquals(authAt(m) + 1 + NodeIdentity.SIGNATURE_LENGTH, encoded.length, "a scheme byte more than before");
        byte[] signed = concat("ringchat/message/1".getBytes(StandardCharsets.US_ASCII),
                Arrays.copyOf(encoded, authAt(m)));
        assertTrue(AUTHOR.verify(AUTHOR.publicKey(), signed, m.signature), "today's signature, over today's bytes");
    }

    @Test
    void batchesAreAsDeepAsTheyNeedAndSplitAbove256() {
        Map<Integer, List<Integer>> depths = Map.of(2, List.of(1), 3, List.of(2), 33, List.of(6), 64, List.of(6),
                65, List.of(7), 129, List.of(8), 256, List.of(8), 257, List.of(8, 0), 514, List.of(8, 8, 1));
        depths.forEach((size, expected) -> {
            List<SignedMessage> messages = SignedMessage.signBatch(AUTHOR, drafts(size));
            List<Integer> batchDepths = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                if (i == 0 || !Arrays.equals(messages.get(i).signature, messages.get(i - 1).signature)) {
                    batchDepths.add(messages.get(i).batchDepth());
                }
            }
            assertEquals(expected, batchDepths, size + " messages");
        });
        List<SignedMessage> split = SignedMessage.signBatch(AUTHOR, drafts(257));
        assertEquals(SignedMessage.SCHEME_BATCH_OF_IDS, split.get(255).scheme());
        assertEquals(255, split.get(255).batchIndex);
        assertEquals(SignedMessage.SCHEME_SINGLE, split.get(256).scheme(), "the one left over is signed alone");
        assertFalse(Arrays.equals(split.get(0).signature, split.get(256).signature));
    }

    @Test
    void noDraftsNoMessages() {
        assertEquals(List.of(), SignedMessage.signBatch(AUTHOR, List.of()));
    }

    /**
     * An independent reading of the spec: leaves (of the digest the ID is cut from, and the ID), inner nodes,
     * empty leaf, index bits, the signed root.
     */
    @Test
    void theTreeAndTheSignatureAreTheOnesTheProtocolDescribes() throws Exception {
        List<SignedMessage.Draft> drafts = new ArrayList<>(drafts(2));
        drafts.add(SignedMessage.Draft.of(AUTHOR.publicKey(), GROUP, List.of(), Instant.ofEpochMilli(3), List.of(),
                "a bound ID, as the node writes them"));
        List<SignedMessage> messages = SignedMessage.signBatch(AUTHOR, drafts);
        byte[][] leaves = new byte[4][];
        for (int i = 0; i < 3; i++) {
            byte[] content = Arrays.copyOf(encode(messages.get(i)), authAt(messages.get(i)));
            int afterId = GroupId.LENGTH + MessageId.LENGTH;
            byte[] idDigest = sha256("ringchat/message-id/2".getBytes(StandardCharsets.US_ASCII),
                    Arrays.copyOf(content, GroupId.LENGTH), Arrays.copyOfRange(content, afterId, content.length));
            leaves[i] = sha256(new byte[] {0x00}, "ringchat/message/3".getBytes(StandardCharsets.US_ASCII), idDigest,
                    Arrays.copyOfRange(content, GroupId.LENGTH, afterId));
        }
        assertTrue(messages.get(2).hasBoundId());
        leaves[3] = new byte[32];
        byte[] root = sha256(new byte[] {0x01}, sha256(new byte[] {0x01}, leaves[0], leaves[1]),
                sha256(new byte[] {0x01}, leaves[2], leaves[3]));
        byte[] signed = concat("ringchat/batch/3".getBytes(StandardCharsets.US_ASCII), new byte[] {2}, root);
        for (SignedMessage m : messages) {
            assertEquals(3, encode(m)[authAt(m)], "scheme");
            assertTrue(AUTHOR.verify(AUTHOR.publicKey(), signed, m.signature));
            assertArrayEquals(root, m.signedDigest());
        }
        // Message 2 is a left child at the bottom (index bit 0 = 0) and a right child above (bit 1 = 1).
        byte[] encoded = encode(messages.get(2));
        int path = authAt(messages.get(2)) + 1;
        assertEquals(2, encoded[path], "depth");
        assertEquals(2, ((encoded[path + 1] & 0xff) << 8) | (encoded[path + 2] & 0xff), "index");
        assertArrayEquals(leaves[3], Arrays.copyOfRange(encoded, path + 3, path + 35), "the empty leaf");
        assertArrayEquals(sha256(new byte[] {0x01}, leaves[0], leaves[1]),
                Arrays.copyOfRange(encoded, path + 35, path + 67));
    }

    @Test
    void aChangedTextIsRejected() {
        SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(3)).get(1);
        byte[] bytes = encode(m);
        bytes[authAt(m) - 1] ^= 0x01; // the last character of the text, still ASCII
        assertRejected(m, decode(bytes), "changed text");
    }

    @Test
    void aChangedIdIsRejected() {
        SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(3)).get(1);
        byte[] bytes = encode(m);
        bytes[GroupId.LENGTH + 3] ^= 0x01;
        assertRejected(m, decode(bytes), "changed ID");
    }

    @Test
    void aChangedIndexIsRejected() {
        for (int i = 0; i < 3; i++) {
            SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(3)).get(i);
            byte[] bytes = encode(m);
            bytes[authAt(m) + 3] ^= 0x01; // low byte of the index: its sibling's place
            assertRejected(m, decode(bytes), "index " + i + " changed");
        }
    }

    @Test
    void aChangedSiblingIsRejected() {
        SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(33)).get(20);
        for (int level = 0; level < m.batchDepth(); level++) {
            byte[] bytes = encode(m);
            bytes[authAt(m) + 4 + level * 32 + 7] ^= 0x40;
            assertRejected(m, decode(bytes), "sibling at level " + level);
        }
    }

    @Test
    void aChangedSignatureIsRejected() {
        SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(2)).get(0);
        byte[] bytes = encode(m);
        bytes[bytes.length - 10] ^= 0x01;
        assertRejected(m, decode(bytes), "changed signature");
    }

    @Test
    void aMessageWithThePathOrSignatureOfAnotherBatchIsRejected() {
        List<SignedMessage> ours = SignedMessage.signBatch(AUTHOR, drafts(4));
        List<SignedMessage> theirs = SignedMessage.signBatch(AUTHOR, drafts(4));
        for (int i = 0; i < 4; i++) {
            SignedMessage m = ours.get(i);
            SignedMessage other = theirs.get(i);
            assertRejected(m, withAuthOf(m, other), "path and signature of another batch");

            byte[] withOtherSignature = encode(m);
            System.arraycopy(other.signature, 0, withOtherSignature,
                    withOtherSignature.length - NodeIdentity.SIGNATURE_LENGTH, NodeIdentity.SIGNATURE_LENGTH);
            assertRejected(m, decode(withOtherSignature), "signature of another batch");
        }
        // The other batch's messages, verified first and cached, do not vouch for ours either.
        MessageVerifier verifier = new MessageVerifier(AUTHOR, 16);
        theirs.forEach(verifier::verify);
        assertFalse(verifier.verify(withAuthOf(ours.get(0), theirs.get(0))));
    }

    /** The content of {@code m} with the authentication (scheme, path, signature) of {@code other}. */
    private static SignedMessage withAuthOf(SignedMessage m, SignedMessage other) {
        byte[] otherAuth = Arrays.copyOfRange(encode(other), authAt(other), other.encodedLength());
        return decode(concat(Arrays.copyOf(encode(m), authAt(m)), otherAuth));
    }

    @Test
    void aMessageMovedToAnotherAuthorsKeyIsRejected() {
        SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(5)).get(3);
        SignedMessage moved = withAuthorKey(m, OTHER.publicKey());
        assertEquals(OTHER.peerId(), moved.author);
        assertRejected(m, moved, "moved to another author");
    }

    @Test
    void aBatchSignedByOneAuthorIsNotAnothersEvenWithItsKey() {
        // OTHER signs a batch of messages claiming AUTHOR's key: the content names AUTHOR, the signature is OTHER's.
        List<SignedMessage> byOther = SignedMessage.signBatch(OTHER, drafts(2));
        SignedMessage claimed = withAuthorKey(byOther.get(0), AUTHOR.publicKey());
        assertFalse(claimed.hasValidSignature(AUTHOR));
        assertFalse(new MessageVerifier(AUTHOR, 16).verify(claimed));
    }

    /** Rejected on its own and by a verifier that holds the genuine message's batch already. */
    private static void assertRejected(SignedMessage genuine, SignedMessage tampered, String what) {
        assertFalse(tampered.hasValidSignature(AUTHOR), what);
        MessageVerifier verifier = new MessageVerifier(AUTHOR, 16);
        assertFalse(verifier.verify(tampered), what + ", cold cache");
        assertTrue(verifier.verify(genuine), what + ": the genuine one");
        assertFalse(verifier.verify(tampered), what + ", with the genuine batch cached");
    }

    @Test
    void unknownSchemesAreMalformed() {
        SignedMessage single = SignedMessage.create(AUTHOR, GROUP, List.of(), Instant.now(), List.of(), "hi");
        SignedMessage batched = SignedMessage.signBatch(AUTHOR, drafts(2)).get(1);
        for (SignedMessage m : List.of(single, batched)) {
            for (int scheme : new int[] {0, 4, 0x7f, 0xff}) {
                byte[] bytes = encode(m);
                bytes[authAt(m)] = (byte) scheme;
                assertMalformed(bytes, "unknown message authentication scheme " + scheme + " (its author may run a "
                        + "later version)");
            }
        }
        // A scheme-1 message read as a batch's and the other way round: the lengths no longer fit.
        for (int scheme : new int[] {SignedMessage.SCHEME_BATCH_OF_CONTENTS, SignedMessage.SCHEME_BATCH_OF_IDS}) {
            byte[] asBatch = encode(single);
            asBatch[authAt(single)] = (byte) scheme;
            assertThrows(MalformedInputException.class, () -> decode(asBatch));
        }
        byte[] asSingle = encode(batched);
        asSingle[authAt(batched)] = SignedMessage.SCHEME_SINGLE;
        assertThrows(MalformedInputException.class, () -> decode(asSingle));
    }

    @Test
    void aBatchReadUnderTheOtherBatchSchemeIsRejected() {
        SignedMessage ofIds = SignedMessage.signBatch(AUTHOR, drafts(2)).get(1);
        SignedMessage ofContents = ContentBatches.sign(AUTHOR, drafts(2)).get(1);
        for (SignedMessage m : List.of(ofIds, ofContents)) {
            byte[] bytes = encode(m);
            bytes[authAt(m)] = (byte) (m.scheme() == SignedMessage.SCHEME_BATCH_OF_IDS
                    ? SignedMessage.SCHEME_BATCH_OF_CONTENTS : SignedMessage.SCHEME_BATCH_OF_IDS);
            assertRejected(m, decode(bytes), "scheme " + m.scheme() + " relabelled");
        }
    }

    @Test
    void depthsOutside1To8AreMalformed() {
        assertDepthsMalformed(SignedMessage.signBatch(AUTHOR, drafts(64)).get(5), "in scheme 3, must be 1 to 8",
                0, 9, 0xff);
    }

    /** The message with each of the depths in its place is malformed, for the reason that ends as given. */
    private static void assertDepthsMalformed(SignedMessage m, String reasonEnd, int... depths) {
        for (int depth : depths) {
            byte[] bytes = encode(m);
            bytes[authAt(m) + 1] = (byte) depth;
            assertMalformed(bytes, "message batch depth " + depth + " " + reasonEnd);
        }
    }

    /** What earlier versions signed, and their stores hold, still verifies; within their bounds only. */
    @Test
    void batchesOfEarlierVersionsAreReadAndCheckedWithin1To6() {
        List<SignedMessage> earlier = ContentBatches.sign(AUTHOR, drafts(64));
        MessageVerifier verifier = new MessageVerifier(AUTHOR, 16);
        for (SignedMessage m : earlier) {
            assertEquals(SignedMessage.SCHEME_BATCH_OF_CONTENTS, m.scheme());
            assertEquals(6, m.batchDepth());
            assertTrue(m.hasValidSignature(AUTHOR));
            assertTrue(verifier.verify(decode(encode(m))));
        }
        SignedMessage m = earlier.get(9);
        byte[] text = encode(m);
        text[authAt(m) - 1] ^= 0x01;
        assertRejected(m, decode(text), "an earlier batch's changed text");
        assertDepthsMalformed(m, "in scheme 2, must be 1 to 6", 0, 7, 8);
    }

    @Test
    void indexesOutsideTheTreeAreMalformed() {
        int[][] cases = {{2, 2}, {2, 3}, {3, 4}, {3, 0xff}, {33, 64}, {64, 64}, {65, 128}, {256, 0x100},
            {256, 0xffff}};
        for (int[] c : cases) {
            SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(c[0])).get(0);
            byte[] bytes = encode(m);
            bytes[authAt(m) + 2] = (byte) (c[1] >>> 8);
            bytes[authAt(m) + 3] = (byte) c[1];
            assertMalformed(bytes, "message batch index " + c[1] + " outside a tree of depth " + m.batchDepth());
        }
    }

    @Test
    void aTruncatedPathIsMalformed() {
        SignedMessage m = SignedMessage.signBatch(AUTHOR, drafts(8)).get(5);
        byte[] bytes = encode(m);
        for (int cut : new int[] {authAt(m) + 1, authAt(m) + 3, authAt(m) + 4 + 40, bytes.length - 1}) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertMalformed(truncated, "truncated");
        }
    }

    private static void assertMalformed(byte[] bytes, String reason) {
        MalformedInputException e = assertThrows(MalformedInputException.class, () -> decode(bytes));
        assertTrue(e.getMessage().startsWith(reason), e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), e.getMessage());
    }

    private static byte[] sha256(byte[]... parts) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (byte[] part : parts) {
            sha256.update(part);
        }
        return sha256.digest();
    }

    private static byte[] concat(byte[]... parts) {
        WireWriter w = new WireWriter();
        for (byte[] part : parts) {
            w.bytes(part);
        }
        return w.toByteArray();
    }

    /** Counts what it is asked to sign and verify, and passes it on. */
    static class CountingIdentity implements NodeIdentity {

        private final NodeIdentity delegate;
        int signs;
        int verifies;

        CountingIdentity(NodeIdentity delegate) {
            this.delegate = delegate;
        }

        @Override
        public PeerId peerId() {
            return delegate.peerId();
        }

        @Override
        public byte[] publicKey() {
            return delegate.publicKey();
        }

        @Override
        public byte[] sign(byte[] data) {
            signs++;
            return delegate.sign(data);
        }

        @Override
        public boolean verify(byte[] publicKey, byte[] data, byte[] signature) {
            synchronized (this) {
                verifies++; // threads may verify at once (checking ahead)
            }
            return delegate.verify(publicKey, data, signature);
        }

        @Override
        public X509Certificate certificate() {
            return delegate.certificate();
        }

        @Override
        public PrivateKey tlsPrivateKey() {
            return delegate.tlsPrivateKey();
        }
    }
}
