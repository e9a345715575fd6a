package org.ringchat.state.log;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/**
 * One change of a group's state, signed by its author and linked to the ops its author knew (its
 * parents). Immutable. The encoding, the signature and the hash are specified in {@code docs/STATE.md}.
 */
public final class StateOp {

    /** Most parents an op may name; an author with more heads names the smallest ones. */
    public static final int MAX_PARENTS = 64;
    /** Longest encoding accepted by {@link #decode(byte[])}. */
    public static final int MAX_ENCODED_BYTES = 4096;
    /** Longest group name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 200;
    /** Longest host in an address, in UTF-8 bytes. */
    public static final int MAX_HOST_BYTES = 255;

    /** The format ops are written in; format 1 (REMOVE_MEMBER and LEAVE name no message) is still read. */
    private static final int FORMAT = 2;
    private static final int FORMAT_WITHOUT_MESSAGES = 1;
    private static final byte[] DOMAIN = "ringchat/state-op/1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GROUP_ID_DOMAIN = "ringchat/group-id/1".getBytes(StandardCharsets.US_ASCII);
    private static final int OWNER_FLAG = 1;
    private static final SecureRandom NONCES = new SecureRandom();

    private final GroupId groupId;
    private final List<OpHash> parents;
    private final byte[] authorKey;
    private final PeerId author;
    private final long createdAtMillis;
    private final Change change;
    /** The domain prefix followed by the encoding without the signature: what the author signs. */
    private final byte[] signed;
    private final byte[] signature;
    private final OpHash hash;

    private StateOp(GroupId groupId, List<OpHash> parents, byte[] authorKey, long createdAtMillis, Change change,
                    byte[] signed, byte[] signature) {
        this.groupId = groupId;
        this.parents = parents;
        this.authorKey = authorKey;
        this.author = PeerId.fromPublicKey(authorKey);
        this.createdAtMillis = createdAtMillis;
        this.change = change;
        this.signed = signed;
        this.signature = signature;
        this.hash = OpHash.sha256(signed);
    }

    /**
     * The CREATE op of a new group, whose ID is derived from it ({@link #groupId()}).
     *
     * @param address where the author can be reached; it must carry the author's peer ID
     */
    public static StateOp genesis(NodeIdentity author, String name, PeerAddress address, long createdAtMillis) {
        return genesis(author, name, address, createdAtMillis, NONCES.nextLong());
    }

    /** With a given nonce, so that tests are reproducible. */
    static StateOp genesis(NodeIdentity author, String name, PeerAddress address, long createdAtMillis, long nonce) {
        if (!address.peerId().equals(author.peerId())) {
            throw new IllegalArgumentException("the creator's address must carry its own peer ID, not " + address.peerId());
        }
        Change.Create create = new Change.Create(name, address.host(), address.port(), nonce);
        GroupId group = derivedGroupId(FORMAT, author.publicKey(), createdAtMillis, create);
        return signed(author, group, List.of(), createdAtMillis, create);
    }

    /**
     * Signs any change but CREATE.
     *
     * @param parents the heads the author knows, 1 to {@link #MAX_PARENTS} of them (repeats are dropped)
     */
    public static StateOp sign(NodeIdentity author, GroupId group, Collection<OpHash> parents, long createdAtMillis,
                               Change change) {
        if (change instanceof Change.Create) {
            throw new IllegalArgumentException("a CREATE op is made by genesis(...)");
        }
        List<OpHash> sorted = List.copyOf(new TreeSet<>(parents));
        if (sorted.isEmpty() || sorted.size() > MAX_PARENTS) {
            throw new IllegalArgumentException("an op has 1 to " + MAX_PARENTS + " parents, not " + sorted.size());
        }
        return signed(author, group, sorted, createdAtMillis, change);
    }

    private static StateOp signed(NodeIdentity author, GroupId group, List<OpHash> parents, long createdAtMillis,
                                  Change change) {
        byte[] key = author.publicKey();
        byte[] signed = new WireWriter().bytes(DOMAIN)
                .bytes(content(FORMAT, group, parents, key, createdAtMillis, change)).toByteArray();
        return new StateOp(group, parents, key, createdAtMillis, change, signed, author.sign(signed));
    }

    /**
     * Decodes an op from the network or the store, checking its form but not its signature.
     *
     * @throws InvalidOpException if the bytes are not exactly one well-formed op
     */
    public static StateOp decode(byte[] encoded) throws InvalidOpException {
        if (encoded.length > MAX_ENCODED_BYTES) {
            throw new InvalidOpException("op: " + encoded.length + " bytes, at most " + MAX_ENCODED_BYTES);
        }
        try {
            return read(encoded);
        } catch (MalformedInputException e) {
            throw new InvalidOpException(e.getMessage());
        }
    }

    private static StateOp read(byte[] encoded) throws InvalidOpException {
        WireReader r = new WireReader(encoded);
        int format = r.u8();
        if (format != FORMAT && format != FORMAT_WITHOUT_MESSAGES) {
            throw new InvalidOpException("unknown op format " + format);
        }
        GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
        int count = r.count("parents", MAX_PARENTS);
        List<OpHash> parents = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            OpHash parent = OpHash.fromBytes(r.bytes(OpHash.LENGTH));
            if (i > 0 && parents.get(i - 1).compareTo(parent) >= 0) {
                throw new InvalidOpException("parents: not in ascending order, or repeated");
            }
            parents.add(parent);
        }
        byte[] key = r.bytes(NodeIdentity.PUBLIC_KEY_LENGTH);
        long createdAt = r.i64();
        Change change = readChange(r, format);
        byte[] signature = r.bytes(NodeIdentity.SIGNATURE_LENGTH);
        r.expectEnd();
        if (change instanceof Change.Create create) {
            if (count != 0) {
                throw new InvalidOpException("CREATE: has parents, but starts a group");
            }
            if (!group.equals(derivedGroupId(format, key, createdAt, create))) {
                throw new InvalidOpException("CREATE: the group ID is not the one derived from the op");
            }
        } else if (count == 0) {
            throw new InvalidOpException(change.kind() + ": no parents");
        }
        List<OpHash> frozen = List.copyOf(parents);
        byte[] signed = new WireWriter().bytes(DOMAIN)
                .bytes(content(format, group, frozen, key, createdAt, change)).toByteArray();
        return new StateOp(group, frozen, key, createdAt, change, signed, signature);
    }

    private static Change readChange(WireReader r, int format) throws InvalidOpException {
        int code = r.u8();
        Change.Kind kind = Arrays.stream(Change.Kind.values()).filter(k -> k.code == code).findFirst()
                .orElseThrow(() -> new InvalidOpException("unknown op kind " + code));
        try {
            return switch (kind) {
                case CREATE -> new Change.Create(r.string("group name", MAX_NAME_BYTES), r.string("host", MAX_HOST_BYTES),
                        r.u16(), r.i64());
                case ADD_MEMBER -> readAddMember(r);
                case REMOVE_MEMBER -> new Change.RemoveMember(PeerId.fromBytes(r.bytes(PeerId.LENGTH)),
                        readLastMessage(r, format));
                case GRANT_OWNER -> new Change.GrantOwner(PeerId.fromBytes(r.bytes(PeerId.LENGTH)));
                case REVOKE_OWNER -> new Change.RevokeOwner(PeerId.fromBytes(r.bytes(PeerId.LENGTH)));
                case RENAME -> new Change.Rename(r.string("group name", MAX_NAME_BYTES));
                case LEAVE -> new Change.Leave(readLastMessage(r, format));
                case UPDATE_ADDRESS -> new Change.UpdateAddress(r.string("host", MAX_HOST_BYTES), r.u16());
            };
        } catch (IllegalArgumentException | MalformedInputException | InvalidOpException e) {
            throw new InvalidOpException(kind + ": " + e.getMessage());
        }
    }

    private static Optional<MessageId> readLastMessage(WireReader r, int format) throws InvalidOpException {
        if (format == FORMAT_WITHOUT_MESSAGES) {
            return Optional.empty();
        }
        int count = r.u8();
        if (count > 1) {
            throw new InvalidOpException("last message: " + count + " named, at most 1");
        }
        return count == 0 ? Optional.empty() : Optional.of(MessageId.fromBytes(r.bytes(MessageId.LENGTH)));
    }

    private static Change readAddMember(WireReader r) throws InvalidOpException {
        PeerId peer = PeerId.fromBytes(r.bytes(PeerId.LENGTH));
        String host = r.string("host", MAX_HOST_BYTES);
        int port = r.u16();
        int flags = r.u8();
        if ((flags & ~OWNER_FLAG) != 0) {
            throw new InvalidOpException("unknown flags " + flags);
        }
        // Checked first: PeerAddress's own message would repeat the host, which may hold a line break.
        Checks.address(host, port);
        return new Change.AddMember(new PeerAddress(peer, host, port), flags == OWNER_FLAG);
    }

    /** The encoding without the signature. */
    private static byte[] content(int format, GroupId group, List<OpHash> parents, byte[] authorKey,
                                  long createdAtMillis, Change change) {
        WireWriter w = new WireWriter().u8(format).bytes(group.toBytes()).u16(parents.size());
        for (OpHash parent : parents) {
            w.bytes(parent.toBytes());
        }
        w.bytes(authorKey).i64(createdAtMillis).u8(change.kind().code);
        if (change instanceof Change.Create c) {
            w.string(c.name()).string(c.host()).u16(c.port()).i64(c.nonce());
        } else if (change instanceof Change.AddMember c) {
            w.bytes(c.address().peerId().toBytes()).string(c.address().host()).u16(c.address().port())
                    .u8(c.owner() ? OWNER_FLAG : 0);
        } else if (change instanceof Change.RemoveMember c) {
            w.bytes(c.peer().toBytes());
            writeLastMessage(w, format, c.lastMessage());
        } else if (change instanceof Change.GrantOwner c) {
            w.bytes(c.peer().toBytes());
        } else if (change instanceof Change.RevokeOwner c) {
            w.bytes(c.peer().toBytes());
        } else if (change instanceof Change.Rename c) {
            w.string(c.name());
        } else if (change instanceof Change.Leave c) {
            writeLastMessage(w, format, c.lastMessage());
        } else if (change instanceof Change.UpdateAddress c) {
            w.string(c.host()).u16(c.port());
        }
        return w.toByteArray();
    }

    /** A count (0 or 1) and the message; nothing in format 1, whose ops are only decoded, never named one. */
    private static void writeLastMessage(WireWriter w, int format, Optional<MessageId> lastMessage) {
        if (format != FORMAT_WITHOUT_MESSAGES) {
            w.u8(lastMessage.isPresent() ? 1 : 0);
            lastMessage.ifPresent(id -> w.bytes(id.toBytes()));
        }
    }

    /** SHA-256 over a domain prefix and the CREATE op's encoding with a zero group ID and no signature. */
    private static GroupId derivedGroupId(int format, byte[] authorKey, long createdAtMillis, Change.Create create) {
        byte[] content = content(format, GroupId.fromBytes(new byte[GroupId.LENGTH]), List.of(), authorKey,
                createdAtMillis, create);
        return GroupId.fromBytes(OpHash.digest(new WireWriter().bytes(GROUP_ID_DOMAIN).bytes(content).toByteArray()));
    }

    /** The op as stored and sent: the signed fields followed by the signature. */
    public byte[] encode() {
        int fields = signed.length - DOMAIN.length;
        byte[] out = new byte[fields + signature.length];
        System.arraycopy(signed, DOMAIN.length, out, 0, fields);
        System.arraycopy(signature, 0, out, fields, signature.length);
        return out;
    }

    /** Whether the author's key signed exactly this op. */
    boolean hasValidSignature(NodeIdentity crypto) {
        return crypto.verify(authorKey, signed, signature);
    }

    /** The op's identity, which its children name as a parent: SHA-256 of the signed bytes. */
    public OpHash hash() {
        return hash;
    }

    public GroupId groupId() {
        return groupId;
    }

    /** The parents in ascending order; empty for CREATE only. */
    public List<OpHash> parents() {
        return parents;
    }

    /** The author's raw Ed25519 public key. */
    public byte[] authorKey() {
        return authorKey.clone();
    }

    /** The author's peer ID, the hash of {@link #authorKey()}. */
    public PeerId author() {
        return author;
    }

    /** When the author made the op, by its clock; for display only, no rule depends on it. */
    public long createdAtMillis() {
        return createdAtMillis;
    }

    public Change change() {
        return change;
    }

    /** Equal when the signed bytes and the signature are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof StateOp && hash.equals(((StateOp) o).hash) && Arrays.equals(signature, ((StateOp) o).signature);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return change.kind() + " " + hash.shortText() + " by " + author.shortText();
    }
}
