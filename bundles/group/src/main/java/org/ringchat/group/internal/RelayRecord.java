package org.ringchat.group.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/**
 * A member's word that it cannot be dialled and is reached through these relays, until it expires; signed by
 * its key, so that nobody else can redirect its connections. The body of a RELAY_RECORD frame:
 * {@code key[32] expiresAt:i64 count:u16 (address:string)* signature[64]}, signed over everything before the
 * signature, prefixed with {@link #DOMAIN}.
 */
record RelayRecord(byte[] publicKey, long expiresAtMillis, List<PeerAddress> relays, byte[] signature) {

    /** Keeps a record's signature from being taken for any other signed thing. */
    private static final byte[] DOMAIN = "ringchat relay record v1\0".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_RELAYS = 8;
    /** A record names a relay by its address, {@code <peerId>@<host>:<port>}. */
    private static final int MAX_ADDRESS_BYTES = 52 + 1 + 255 + 8;

    RelayRecord {
        relays = List.copyOf(relays);
        if (relays.isEmpty() || relays.size() > MAX_RELAYS) {
            throw new IllegalArgumentException("a relay record names 1 to " + MAX_RELAYS + " relays, not " + relays.size());
        }
    }

    static RelayRecord sign(NodeIdentity identity, long expiresAtMillis, List<PeerAddress> relays) {
        RelayRecord unsigned = new RelayRecord(identity.publicKey(), expiresAtMillis, relays, new byte[0]);
        return new RelayRecord(identity.publicKey(), expiresAtMillis, relays, identity.sign(unsigned.signed()));
    }

    PeerId peer() {
        return PeerId.fromPublicKey(publicKey);
    }

    boolean verify(NodeIdentity crypto) {
        return crypto.verify(publicKey, signed(), signature);
    }

    private byte[] signed() {
        WireWriter out = new WireWriter().bytes(DOMAIN);
        writeContent(out);
        return out.toByteArray();
    }

    private void writeContent(WireWriter out) {
        out.bytes(publicKey).i64(expiresAtMillis).u16(relays.size());
        relays.forEach(relay -> out.string(relay.toString()));
    }

    byte[] encode() {
        WireWriter out = new WireWriter();
        writeContent(out);
        return out.bytes(signature).toByteArray();
    }

    static RelayRecord decode(byte[] body) {
        WireReader in = new WireReader(body);
        byte[] key = in.bytes(NodeIdentity.PUBLIC_KEY_LENGTH);
        long expiresAt = in.i64();
        int count = in.count("relays", MAX_RELAYS);
        List<PeerAddress> relays = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            relays.add(address(in.string("relay address", MAX_ADDRESS_BYTES)));
        }
        byte[] signature = in.bytes(NodeIdentity.SIGNATURE_LENGTH);
        in.expectEnd();
        if (count == 0) {
            throw new MalformedInputException("a relay record names no relay");
        }
        return new RelayRecord(key, expiresAt, relays, signature);
    }

    /** An address as {@link PeerAddress#toString()} writes it, and only so: a record has one encoding. */
    private static PeerAddress address(String text) {
        try {
            PeerAddress address = PeerAddress.parse(text);
            if (address.toString().equals(text)) {
                return address;
            }
        } catch (IllegalArgumentException e) {
            // Not repeated: the peer's text may hold anything.
        }
        throw new MalformedInputException("relay address: not written as <peerId>@<host>:<port>");
    }
}
