package org.ringchat.transport.netty.internal;

import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;

import org.ringchat.api.PeerId;
import org.ringchat.spi.NodeIdentity;

/** Reads the peer's identity out of its TLS certificate. */
final class PeerCertificates {

    /** X.509 SubjectPublicKeyInfo of an Ed25519 key (RFC 8410): this fixed prefix, then the raw 32-byte key. */
    private static final byte[] ED25519_KEY_INFO_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final int ED25519_KEY_INFO_LENGTH = ED25519_KEY_INFO_PREFIX.length + NodeIdentity.PUBLIC_KEY_LENGTH;

    private PeerCertificates() {
    }

    static PeerId peerId(X509Certificate certificate) throws CertificateException {
        return PeerId.fromPublicKey(rawEd25519Key(certificate));
    }

    /** The raw 32-byte Ed25519 key of a certificate; fails for any other kind of key. */
    static byte[] rawEd25519Key(X509Certificate certificate) throws CertificateException {
        PublicKey key = certificate.getPublicKey();
        String algorithm = key.getAlgorithm();
        if (!"Ed25519".equals(algorithm) && !"EdDSA".equals(algorithm)) {
            throw new CertificateException("certificate key is " + algorithm + ", not Ed25519");
        }
        byte[] encoded = key.getEncoded();
        if (encoded == null || encoded.length != ED25519_KEY_INFO_LENGTH
                || !Arrays.equals(encoded, 0, ED25519_KEY_INFO_PREFIX.length, ED25519_KEY_INFO_PREFIX, 0, ED25519_KEY_INFO_PREFIX.length)) {
            throw new CertificateException("certificate key is not an Ed25519 key");
        }
        return Arrays.copyOfRange(encoded, ED25519_KEY_INFO_PREFIX.length, encoded.length);
    }
}
