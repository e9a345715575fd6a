package org.ringchat.crypto.internal;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.ringchat.api.PeerId;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.spi.StateStore;

/** Publishes the node's {@link Ed25519Identity}, kept in the node's store, as the {@link NodeIdentity} service. */
@Component(service = NodeIdentity.class)
public class IdentityComponent implements NodeIdentity {

    private final Ed25519Identity identity;

    @Activate
    public IdentityComponent(@Reference StateStore store) {
        this.identity = Ed25519Identity.loadOrCreate(store, new BouncyCastleProvider());
    }

    @Override
    public PeerId peerId() {
        return identity.peerId();
    }

    @Override
    public byte[] publicKey() {
        return identity.publicKey();
    }

    @Override
    public byte[] sign(byte[] data) {
        return identity.sign(data);
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] data, byte[] signature) {
        return identity.verify(publicKey, data, signature);
    }

    @Override
    public X509Certificate certificate() {
        return identity.certificate();
    }

    @Override
    public PrivateKey tlsPrivateKey() {
        return identity.tlsPrivateKey();
    }
}
