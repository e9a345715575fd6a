package org.ringchat.state.log;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Random;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.ringchat.api.PeerId;
import org.ringchat.spi.NodeIdentity;

/** An Ed25519 identity from Bouncy Castle, its key drawn from a seeded random so that runs repeat. */
class TestIdentity implements NodeIdentity {

    private final Ed25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;
    private final PeerId peerId;

    TestIdentity(Random random) {
        byte[] seed = new byte[Ed25519PrivateKeyParameters.KEY_SIZE];
        random.nextBytes(seed);
        privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        publicKey = privateKey.generatePublicKey().getEncoded();
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
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(data, 0, data.length);
        return signer.generateSignature();
    }

    @Override
    public boolean verify(byte[] key, byte[] data, byte[] signature) {
        if (key.length != PUBLIC_KEY_LENGTH || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(key));
            verifier.update(data, 0, data.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public X509Certificate certificate() {
        throw new UnsupportedOperationException("no TLS in state log tests");
    }

    @Override
    public PrivateKey tlsPrivateKey() {
        throw new UnsupportedOperationException("no TLS in state log tests");
    }

    @Override
    public String toString() {
        return peerId.shortText();
    }
}
