package org.ringchat.group.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.state.log.OpHash;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/**
 * A chat message exactly as its author signed it. The author is identified by the public key it
 * carries: the key hashes to the author's peer ID, so any member can check the signature.
 *
 * <p>The author signs either the message alone (scheme 1) or, with {@link #signBatch}, the Merkle root of a
 * batch of messages (scheme 3; scheme 2, of earlier versions, is still read); then the message carries its
 * leaf's index and path to the root, so that it can still be checked, relayed and stored on its own
 * (PROTOCOL.md, "Messages").
 */
final class SignedMessage {

    static final int SCHEME_SINGLE = 1;
    /** A batch whose leaves hash the messages' contents: what earlier versions signed; read, no longer written. */
    static final int SCHEME_BATCH_OF_CONTENTS = 2;
    /**
     * A batch whose leaves hash the digests the messages' IDs are cut from: a member that checks a message's
     * ID has hashed its content already, and its leaf costs one short hash more instead of a second pass.
     */
    static final int SCHEME_BATCH_OF_IDS = 3;
    /** The most messages one batch signature covers: a tree of {@link Limits#MAX_BATCH_DEPTH}. */
    static final int MAX_BATCH = 1 << Limits.MAX_BATCH_DEPTH;

    /** Separate message signatures, message leaves and batch roots from each other and anything else the key signs. */
    private static final byte[] DOMAIN = "ringchat/message/1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LEAF_DOMAIN = "ringchat/message/2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_BATCH_DOMAIN = "ringchat/batch/1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID_LEAF_DOMAIN = "ringchat/message/3".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID_BATCH_DOMAIN = "ringchat/batch/3".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID_DOMAIN = "ringchat/message-id/2".getBytes(StandardCharsets.US_ASCII);
    /**
     * The zero bytes that end every bound ID, so that it is never taken for a random one of before IDs were
     * bound: 1 in 65,536 of those has the mark by chance, and does not travel.
     */
    private static final int BINDING_MARK = 2;
    private static final byte[][] NO_SIBLINGS = new byte[0][];

    /** A message its author is about to sign. */
    record Draft(GroupId group, MessageId id, List<MessageId> parents, Instant sentAt, List<OpHash> stateHeads,
                 String text) {

        /** A draft under the ID its author and content make ({@link #hasBoundId}). */
        static Draft of(byte[] authorKey, GroupId group, List<MessageId> parents, Instant sentAt,
                        List<OpHash> stateHeads, String text) {
            return new Draft(group, boundId(group, parents, authorKey, sentAt.toEpochMilli(), stateHeads, text),
                    parents, sentAt, stateHeads, text);
        }
    }

    final GroupId group;
    final MessageId id;
    final List<MessageId> parents;
    final byte[] authorKey;
    final long sentAtMillis;
    final List<OpHash> stateHeads;
    /**
     * The text; null in a message read from bytes until it is first asked for ({@link #text()}), not decoded
     * on the way in: a message a member relays or holds needs its bytes only. Once decoded it is kept, since
     * the listeners' events of a message's RECEIVED and CONFIRMED each want it (an A/B in docs/BENCHMARKS.md,
     * session 20, measured one decoding less per message worth more than the text kept with the latest bodies).
     */
    private String text;
    /** Where the text's UTF-8 bytes, checked when read, lie in {@link #encoded}; unused when {@link #text} is set. */
    private final int textAt;
    private final int textLength;
    /** How the author signed it: one of the {@code SCHEME_} constants. */
    private final int scheme;
    /** A batch's: the position of this message's leaf in its batch's tree; 0 in scheme 1. */
    final int batchIndex;
    /**
     * A batch's: how deep its tree is, which is how many siblings lie on the way from the leaf to the root; 0 in
     * scheme 1. The siblings stay in {@link #encoded}, bottom up just before the signature ({@link #siblingAt}):
     * not an array each, which every message a member holds in memory would carry along.
     */
    private final int depth;
    /** Scheme 1: over this message; a batch's: over its root. */
    final byte[] signature;
    final PeerId author;
    /**
     * The message as sent and stored: the bytes it was read from, so that relaying, storing and checking it
     * never encode it again (its content is their start, {@link #contentLength()}). Never changed.
     */
    private final byte[] encoded;
    /**
     * Set once a {@link MessageVerifier} found the signature good: a message checked ahead, on the thread
     * that received it, is not checked again on the engine's. Never part of the message.
     */
    private volatile boolean signatureVerified;
    /** Whether the ID is the one the author and content make, once asked: null before ({@link #hasBoundId}). */
    private volatile Boolean boundIdChecked;
    /**
     * Scheme 3: the leaf, kept once made: it comes out of the same hash as the answer of {@link #hasBoundId},
     * and a member asks for both.
     */
    private volatile byte[] idLeaf;

    /** @param encoded the message's bytes as read, in the current encoding; null to encode it here */
    private SignedMessage(GroupId group, MessageId id, List<MessageId> parents, byte[] authorKey, long sentAtMillis,
                          List<OpHash> stateHeads, String text, int scheme, int batchIndex, int depth,
                          byte[] signature, byte[] encoded) {
        this(group, id, parents, authorKey, PeerId.fromPublicKey(authorKey), sentAtMillis, stateHeads, text, 0, 0,
                scheme, batchIndex, depth, signature, encoded);
    }

    /** @param text null when it is to be read from {@code encoded}, {@code textLength} bytes from {@code textAt} */
    private SignedMessage(GroupId group, MessageId id, List<MessageId> parents, byte[] authorKey, PeerId author,
                          long sentAtMillis, List<OpHash> stateHeads, String text, int textAt, int textLength,
                          int scheme, int batchIndex, int depth, byte[] signature, byte[] encoded) {
        this.group = group;
        this.id = id;
        this.parents = List.copyOf(parents);
        this.authorKey = authorKey;
        this.sentAtMillis = sentAtMillis;
        this.stateHeads = List.copyOf(stateHeads);
        this.text = text;
        this.textAt = textAt;
        this.textLength = textLength;
        this.scheme = scheme;
        this.batchIndex = batchIndex;
        this.depth = depth;
        this.signature = signature;
        this.author = author;
        this.encoded = encoded != null ? encoded : encodeFields();
    }

    /** A message just signed: its bytes are the content as signed, then the authentication; nothing encoded twice. */
    private SignedMessage(Draft draft, byte[] authorKey, byte[] content, int scheme, int batchIndex,
                          byte[][] siblings, byte[] signature) {
        this(draft.group(), draft.id(), draft.parents(), authorKey, draft.sentAt().toEpochMilli(), draft.stateHeads(),
                draft.text(), scheme, batchIndex, siblings.length, signature,
                withAuth(content, scheme, batchIndex, siblings, signature));
    }

    private static byte[] withAuth(byte[] content, int scheme, int batchIndex, byte[][] siblings, byte[] signature) {
        WireWriter w = new WireWriter(content.length + authLength(siblings.length, signature)).bytes(content);
        writeAuth(w, scheme, batchIndex, siblings, signature);
        return w.toByteArray();
    }

    /** One message, signed on its own (scheme 1), under the ID its author and content make. */
    static SignedMessage create(NodeIdentity identity, GroupId group, List<MessageId> parents, Instant sentAt,
                                List<OpHash> stateHeads, String text) {
        return signAlone(identity, Draft.of(identity.publicKey(), group, parents, sentAt, stateHeads, text));
    }

    /**
     * Signs the drafts with one signature for every {@link #MAX_BATCH} of them (scheme 3); a batch of one,
     * also one left over, is signed alone (scheme 1), which costs no more than a batch and is shorter.
     * The messages come in the order of the drafts.
     */
    static List<SignedMessage> signBatch(NodeIdentity identity, List<Draft> drafts) {
        List<SignedMessage> messages = new ArrayList<>(drafts.size());
        for (int from = 0; from < drafts.size(); from += MAX_BATCH) {
            List<Draft> batch = drafts.subList(from, Math.min(drafts.size(), from + MAX_BATCH));
            if (batch.size() == 1) {
                messages.add(signAlone(identity, batch.get(0)));
            } else {
                messages.addAll(signTree(identity, batch));
            }
        }
        return messages;
    }

    private static SignedMessage signAlone(NodeIdentity identity, Draft draft) {
        byte[] key = identity.publicKey();
        byte[] content = content(draft, key);
        byte[] signature = identity.sign(signedAlone(content, content.length));
        return new SignedMessage(draft, key, content, SCHEME_SINGLE, 0, NO_SIBLINGS, signature);
    }

    private static List<SignedMessage> signTree(NodeIdentity identity, List<Draft> batch) {
        byte[] key = identity.publicKey();
        int depth = MerkleTree.depthFor(batch.size());
        List<byte[]> contents = new ArrayList<>(batch.size());
        List<byte[]> leaves = new ArrayList<>(batch.size());
        for (Draft draft : batch) {
            byte[] content = content(draft, key);
            contents.add(content);
            leaves.add(idLeaf(idDigest(content, GroupId.LENGTH + MessageId.LENGTH, content.length), content));
        }
        MerkleTree tree = new MerkleTree(leaves, depth);
        byte[] signature = identity.sign(signedRoot(SCHEME_BATCH_OF_IDS, depth, tree.root()));
        List<SignedMessage> messages = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            messages.add(new SignedMessage(batch.get(i), key, contents.get(i), SCHEME_BATCH_OF_IDS, i, tree.path(i),
                    signature));
        }
        return messages;
    }

    int scheme() {
        return scheme;
    }

    /** Whether its signature covers a batch's tree (schemes 2 and 3). */
    boolean isBatch() {
        return scheme != SCHEME_SINGLE;
    }

    /** A batch's: how deep its tree is; 0 in scheme 1. */
    int batchDepth() {
        return depth;
    }

    /**
     * Checks the signature afresh every time; the engine's {@link MessageVerifier} remembers the signatures
     * it found good.
     */
    boolean hasValidSignature(NodeIdentity crypto) {
        return signsDigest(crypto, signedDigest());
    }

    /**
     * What the signature stands for, as a digest: its batch's root, or the digest of the message (scheme 1),
     * taken as the leaf of a batch of one would be.
     */
    byte[] signedDigest() {
        return signedPath(leaf())[batchDepth()];
    }

    /**
     * The nodes from this message's leaf ({@link #leaf}) up to what its signature stands for
     * ({@link #signedDigest}, at [{@link #batchDepth}]): the leaf alone in scheme 1.
     */
    byte[][] signedPath(byte[] leaf) {
        return MerkleTree.pathUp(leaf, batchIndex, encoded, siblingAt(0), depth);
    }

    /** Whether the signature is the author's over what {@code digest} stands for ({@link #signedDigest}). */
    boolean signsDigest(NodeIdentity crypto, byte[] digest) {
        if (isBatch()) {
            return signsRoot(crypto, digest);
        }
        return crypto.verify(authorKey, signedAlone(encoded, contentLength()), signature);
    }

    /** What a scheme-1 signature covers. */
    private static byte[] signedAlone(byte[] content, int length) {
        return new WireWriter(DOMAIN.length + length).bytes(DOMAIN).bytes(content, 0, length).toByteArray();
    }

    /**
     * The leaf of the message, as its batch's tree holds it; in scheme 1, the digest a batch of one would hold
     * (scheme 2's). Scheme 3's is made once, with the answer of {@link #hasBoundId}; the others' at each call.
     */
    byte[] leaf() {
        if (scheme != SCHEME_BATCH_OF_IDS) {
            return MerkleTree.leaf(CONTENT_LEAF_DOMAIN, encoded, contentLength());
        }
        byte[] leaf = idLeaf;
        if (leaf == null) { // a benign race: any thread makes the same leaf
            byte[] digest = idDigest(encoded, GroupId.LENGTH + MessageId.LENGTH, contentLength());
            boundIdChecked = id.equals(boundId(digest));
            idLeaf = leaf = idLeaf(digest, encoded);
        }
        return leaf;
    }

    /** Scheme 3's leaf: of the digest the ID is cut from, and of the ID as written at the start of {@code bytes}. */
    private static byte[] idLeaf(byte[] idDigest, byte[] bytes) {
        return MerkleTree.leaf(ID_LEAF_DOMAIN, idDigest, bytes, GroupId.LENGTH, MessageId.LENGTH);
    }

    /** A batch's: copies the sibling at {@code level} on the way from its leaf to the root into {@code into}. */
    void copySibling(int level, byte[] into, int at) {
        System.arraycopy(encoded, siblingAt(level), into, at, MerkleTree.HASH_LENGTH);
    }

    /** A batch's: whether the sibling at {@code level} is the hash in {@code bytes} from {@code at}. */
    boolean hasSibling(int level, byte[] bytes, int at) {
        return Arrays.equals(encoded, siblingAt(level), siblingAt(level) + MerkleTree.HASH_LENGTH,
                bytes, at, at + MerkleTree.HASH_LENGTH);
    }

    /** A batch's: the node above {@code node}, which lies at {@code level} on the way up from its leaf. */
    byte[] parentOf(byte[] node, int level) {
        return MerkleTree.parent(node, batchIndex, level, encoded, siblingAt(level));
    }

    /** Where in {@link #encoded} the sibling at {@code level} lies: the siblings come last but the signature. */
    private int siblingAt(int level) {
        return encoded.length - signature.length - (depth - level) * MerkleTree.HASH_LENGTH;
    }

    /** A batch's: whether the signature is the author's over {@code root} in a tree as deep as this message's. */
    boolean signsRoot(NodeIdentity crypto, byte[] root) {
        return crypto.verify(authorKey, signedRoot(scheme, depth, root), signature);
    }

    /**
     * What a batch signature covers: the depth as well, so that no inner node can pass for a leaf, under a
     * domain of its scheme's.
     */
    private static byte[] signedRoot(int scheme, int depth, byte[] root) {
        byte[] domain = scheme == SCHEME_BATCH_OF_IDS ? ID_BATCH_DOMAIN : CONTENT_BATCH_DOMAIN;
        return new WireWriter().bytes(domain).u8(depth).bytes(root).toByteArray();
    }

    Instant sentAt() {
        return Instant.ofEpochMilli(sentAtMillis);
    }

    /**
     * Whether the ID is the one its author and content make: then no other member can claim it first for a
     * message of its own, and two messages with the same ID are the same message.
     */
    boolean hasBoundId() {
        Boolean bound = boundIdChecked;
        if (bound == null) {
            if (scheme == SCHEME_BATCH_OF_IDS) {
                leaf(); // which answers too, from the same hash
                return boundIdChecked;
            }
            bound = id.equals(boundId(idDigest(encoded, GroupId.LENGTH + MessageId.LENGTH, contentLength())));
            boundIdChecked = bound;
        }
        return bound;
    }

    boolean isSignatureVerified() {
        return signatureVerified;
    }

    void signatureVerified() {
        signatureVerified = true;
    }

    /**
     * Whether it is a message from before IDs were bound, whose ID its author drew at random: neither its ID
     * nor any of its parents' has the form of a bound ID, which every message written since has. So no bound
     * ID, nor a message citing one, passes for one from before (PROTOCOL.md, "Messages").
     */
    boolean hasLegacyId() {
        return !hasBindingForm(id) && parents.stream().noneMatch(SignedMessage::hasBindingForm);
    }

    /** Whether an ID ends as every bound ID does ({@link #BINDING_MARK} zero bytes). */
    private static boolean hasBindingForm(MessageId id) {
        byte[] bytes = id.toBytes();
        for (int i = MessageId.LENGTH - BINDING_MARK; i < MessageId.LENGTH; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The ID of a draft: its fields written as they will be, less the ID itself. */
    private static MessageId boundId(GroupId group, List<MessageId> parents, byte[] authorKey, long sentAtMillis,
                                     List<OpHash> stateHeads, String text) {
        WireWriter w = new WireWriter(contentLength(parents.size(), stateHeads.size(), text) - MessageId.LENGTH);
        w.bytes(group.toBytes());
        writeFieldsAfterId(w, parents, authorKey, sentAtMillis, stateHeads, text);
        byte[] fields = w.toByteArray();
        return boundId(idDigest(fields, GroupId.LENGTH, fields.length));
    }

    /**
     * SHA-256 over a domain and every field of the content but the ID itself: the group, which {@code bytes}
     * start with, then the fields from {@code afterId} to {@code end}.
     */
    private static byte[] idDigest(byte[] bytes, int afterId, int end) {
        MessageDigest sha256 = MerkleTree.sha256();
        sha256.update(ID_DOMAIN);
        sha256.update(bytes, 0, GroupId.LENGTH);
        sha256.update(bytes, afterId, end - afterId);
        return sha256.digest();
    }

    /** The ID cut from an {@link #idDigest}: its first 14 bytes, then {@link #BINDING_MARK} zero bytes. */
    private static MessageId boundId(byte[] idDigest) {
        byte[] id = Arrays.copyOf(idDigest, MessageId.LENGTH);
        Arrays.fill(id, MessageId.LENGTH - BINDING_MARK, MessageId.LENGTH, (byte) 0);
        return MessageId.fromBytes(id);
    }

    private static byte[] content(Draft draft, byte[] authorKey) {
        WireWriter w = new WireWriter(contentLength(draft.parents().size(), draft.stateHeads().size(), draft.text()));
        writeContent(w, draft.group(), draft.id(), draft.parents(), authorKey, draft.sentAt().toEpochMilli(),
                draft.stateHeads(), draft.text());
        return w.toByteArray();
    }

    private static void writeContent(WireWriter w, GroupId group, MessageId id, List<MessageId> parents,
                                     byte[] authorKey, long sentAtMillis, List<OpHash> stateHeads, String text) {
        w.bytes(group.toBytes()).bytes(id.toBytes());
        writeFieldsAfterId(w, parents, authorKey, sentAtMillis, stateHeads, text);
    }

    private static void writeFieldsAfterId(WireWriter w, List<MessageId> parents, byte[] authorKey, long sentAtMillis,
                                           List<OpHash> stateHeads, String text) {
        w.u16(parents.size());
        for (MessageId parent : parents) {
            w.bytes(parent.toBytes());
        }
        w.bytes(authorKey).i64(sentAtMillis).u16(stateHeads.size());
        for (OpHash head : stateHeads) {
            w.bytes(head.toBytes());
        }
        w.string(text);
    }

    /** The size of {@link #write(WireWriter)}'s output. */
    int encodedLength() {
        return encoded.length;
    }

    /** How long its content is: every field before the authentication. */
    private int contentLength() {
        return encoded.length - authLength();
    }

    /** The size of {@link #writeAuth}'s output. */
    private int authLength() {
        return authLength(depth, signature);
    }

    private static int authLength(int depth, byte[] signature) {
        return 1 + (depth > 0 ? 1 + 2 + depth * MerkleTree.HASH_LENGTH : 0) + signature.length;
    }

    /** The size of {@link #writeContent}'s output. */
    private static int contentLength(int parents, int stateHeads, String text) {
        return GroupId.LENGTH + MessageId.LENGTH + 2 + parents * MessageId.LENGTH + NodeIdentity.PUBLIC_KEY_LENGTH + 8
                + 2 + stateHeads * OpHash.LENGTH + 4 + utf8Length(text);
    }

    /** How many bytes UTF-8 takes for a text, without encoding it. */
    private static int utf8Length(String text) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3; // a lone surrogate becomes '?' in getBytes: one byte; harmless, the writer trims
            }
        }
        return length;
    }

    /** The message as it is sent and kept in the message log; the caller does not change it. */
    byte[] encode() {
        return encoded;
    }

    void write(WireWriter w) {
        w.bytes(encoded);
    }

    /** The text as its author wrote it. */
    String text() {
        // checked to be UTF-8 when read: the decoding replaces nothing
        if (text == null) { // a benign race: a String is immutable, and any thread decodes the same one
            text = new String(encoded, textAt, textLength, StandardCharsets.UTF_8);
        }
        return text;
    }

    /** Encodes a message stored before the schemes came ({@link #readWithoutScheme}): scheme 1, no siblings. */
    private byte[] encodeFields() {
        WireWriter w = new WireWriter(contentLength(parents.size(), stateHeads.size(), text) + authLength());
        writeContent(w, group, id, parents, authorKey, sentAtMillis, stateHeads, text); // set: nothing was read
        writeAuth(w, scheme, batchIndex, NO_SIBLINGS, signature);
        return w.toByteArray();
    }

    /** The part after the content, as it was written: the scheme, a batch's path, and the signature. */
    void writeAuth(WireWriter w) {
        w.bytes(encoded, contentLength(), authLength());
    }

    private static void writeAuth(WireWriter w, int scheme, int batchIndex, byte[][] siblings, byte[] signature) {
        w.u8(scheme);
        if (siblings.length > 0) {
            w.u8(siblings.length).u16(batchIndex);
            for (byte[] sibling : siblings) {
                w.bytes(sibling);
            }
        }
        w.bytes(signature);
    }

    static SignedMessage read(WireReader r) {
        return read(r, true);
    }

    /** The message that is all of these bytes. */
    static SignedMessage decode(byte[] bytes) {
        WireReader reader = new WireReader(bytes);
        SignedMessage message = read(reader);
        reader.expectEnd();
        return message;
    }

    /** A message stored before the schemes came: scheme 1 without its scheme byte (see {@link MessageRecord}). */
    static SignedMessage readWithoutScheme(WireReader r) {
        return read(r, false);
    }

    private static SignedMessage read(WireReader r, boolean withScheme) {
        int start = r.position();
        GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
        MessageId id = MessageId.fromBytes(r.bytes(MessageId.LENGTH));
        int parentCount = r.count("parents", Limits.MAX_PARENTS);
        List<MessageId> parents = new ArrayList<>(parentCount);
        for (int i = 0; i < parentCount; i++) {
            parents.add(MessageId.fromBytes(r.bytes(MessageId.LENGTH)));
        }
        RepeatedFields repeated = RepeatedFields.ofThisThread();
        byte[] authorKey = repeated.authorKey(r.bytes(NodeIdentity.PUBLIC_KEY_LENGTH));
        PeerId author = repeated.author();
        long sentAt = r.i64();
        int headCount = r.count("state heads", Limits.MAX_STATE_HEADS);
        List<OpHash> stateHeads = new ArrayList<>(headCount);
        for (int i = 0; i < headCount; i++) {
            stateHeads.add(OpHash.fromBytes(r.bytes(OpHash.LENGTH)));
        }
        String text = null;
        int textLength = 0;
        int textAt = start;
        if (withScheme) {
            textLength = r.skipString("message text", Limits.MAX_TEXT_BYTES);
            textAt = r.position() - textLength;
        } else {
            text = r.string("message text", Limits.MAX_TEXT_BYTES); // the message is encoded afresh
        }
        int scheme = withScheme ? r.u8() : SCHEME_SINGLE;
        int index = 0;
        int depth = 0;
        if (scheme == SCHEME_BATCH_OF_IDS || scheme == SCHEME_BATCH_OF_CONTENTS) {
            int maxDepth = scheme == SCHEME_BATCH_OF_IDS ? Limits.MAX_BATCH_DEPTH : Limits.MAX_CONTENT_BATCH_DEPTH;
            depth = r.u8();
            if (depth < 1 || depth > maxDepth) {
                throw new MalformedInputException("message batch depth " + depth + " in scheme " + scheme
                        + ", must be 1 to " + maxDepth);
            }
            index = r.u16();
            if (index >= 1 << depth) {
                throw new MalformedInputException("message batch index " + index + " outside a tree of depth " + depth
                        + " (" + (1 << depth) + " leaves)");
            }
            r.skip(depth * MerkleTree.HASH_LENGTH); // read where they lie, when asked for (siblingAt)
        } else if (scheme != SCHEME_SINGLE) {
            throw new MalformedInputException("unknown message authentication scheme " + scheme
                    + " (its author may run a later version)");
        }
        byte[] signature = r.bytes(NodeIdentity.SIGNATURE_LENGTH);
        // A message without its scheme byte is encoded afresh, in the current encoding.
        return new SignedMessage(group, id, parents, authorKey, author, sentAt, repeated.stateHeads(stateHeads), text,
                textAt - start, textLength, scheme, index, depth, signature, withScheme ? r.bytesSince(start) : null);
    }
}
