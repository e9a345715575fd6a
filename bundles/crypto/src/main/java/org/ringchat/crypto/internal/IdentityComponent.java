package org.ringchat.crypto.internal;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.ringchat.api.PeerId;
import org.ringchat.spi.NodeIdentity;

/** Publishes the node's {@link Ed25519Identity} as the {@link NodeIdentity} service. */
@Component(service = NodeIdentity.class, configurationPid = "org.ringchat.node",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = IdentityComponent.Config.class)
public class IdentityComponent implements NodeIdentity {

    @ObjectClassDefinition(name = "ringchat node identity", description = "Where the node keeps its Ed25519 key")
    public @interface Config {

        @AttributeDefinition(name = "Data directory",
                description = "Directory of identity.key and the node's state; relative paths start at the working directory")
        String data_dir() default "data";
    }

    private final Ed25519Identity identity;

    @Activate
    public IdentityComponent(Config config) {
        this.identity = Ed25519Identity.loadOrCreate(Path.of(config.data_dir()), new BouncyCastleProvider());
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
