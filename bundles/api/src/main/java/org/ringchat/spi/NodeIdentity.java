package org.ringchat.spi;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import org.osgi.annotation.versioning.ProviderType;
import org.ringchat.api.PeerId;

/**
 * This node's Ed25519 identity and the signature operations on it, provided by the crypto bundle.
 */
@ProviderType
public interface NodeIdentity {

    /** Length of an Ed25519 signature in bytes. */
    int SIGNATURE_LENGTH = 64;

    /** Length of a raw Ed25519 public key in bytes. */
    int PUBLIC_KEY_LENGTH = 32;

    PeerId peerId();

    /** The raw 32-byte Ed25519 public key; {@link PeerId#fromPublicKey(byte[])} of it is {@link #peerId()}. */
    byte[] publicKey();

    /** Signs with this node's private key. */
    byte[] sign(byte[] data);

    /** Checks an Ed25519 signature by any key; false for malformed keys or signatures, never an exception. */
    boolean verify(byte[] publicKey, byte[] data, byte[] signature);

    /** The self-signed certificate this node presents in TLS. */
    X509Certificate certificate();

    /** The private key for TLS, usable by the JDK's TLS implementation. */
    PrivateKey tlsPrivateKey();
}
