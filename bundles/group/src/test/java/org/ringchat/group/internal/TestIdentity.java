package org.ringchat.group.internal;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

import org.ringchat.api.PeerId;
import org.ringchat.spi.NodeIdentity;

/** An Ed25519 identity from the JDK, for engine tests that do not need TLS. */
final class TestIdentity implements NodeIdentity {

    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final KeyPair keys;
    private final byte[] publicKey;
    private final PeerId peerId;

    TestIdentity() {
        try {
            keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        byte[] encoded = keys.getPublic().getEncoded();
        publicKey = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        peerId = PeerId.fromPublicKey(publicKey);
    }

    @Override
    public PeerId peerId() {
        return peerId;
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(keys.getPrivate());
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean verify(byte[] key, byte[] data, byte[] signature) {
        try {
            byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + key.length);
            System.arraycopy(key, 0, spki, SPKI_PREFIX.length, key.length);
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public X509Certificate certificate() {
        throw new UnsupportedOperationException("no TLS in engine tests");
    }

    @Override
    public PrivateKey tlsPrivateKey() {
        throw new UnsupportedOperationException("no TLS in engine tests");
    }
}
