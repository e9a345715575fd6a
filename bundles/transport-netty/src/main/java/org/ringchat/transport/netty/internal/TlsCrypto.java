package org.ringchat.transport.netty.internal;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.NoSuchPaddingException;

import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.ringchat.spi.NodeIdentity;

/**
 * The crypto under the node's TLS: Bouncy Castle's Ed25519 and X25519, about twenty times faster than the
 * JDK's (2 ms an operation, eight operations a handshake, thousands of handshakes while a group forms), and
 * the JDK's ciphers and MACs, which run on the processor's AES and SHA instructions. Neither
 * provider is installed in the JVM: a framework that embeds ringchat keeps its own providers.
 */
final class TlsCrypto extends JcaTlsCryptoProvider {

    /**
     * Bouncy Castle's TLS logs each connection it opens and ends, and each alert, at INFO, and at WARNING the
     * JDK security settings it cannot read; the transport logs one line per connection it rejects, with the
     * reason. So its lines are left out unless the logging configuration sets a level for this logger.
     * Held here: the logging framework keeps loggers only while someone does.
     */
    private static final Logger JSSE_LOG = Logger.getLogger("org.bouncycastle.jsse");

    static {
        if (JSSE_LOG.getLevel() == null) {
            JSSE_LOG.setLevel(Level.SEVERE);
        }
    }

    /** One for every transport of this bundle: it registers hundreds of algorithms when made, and keeps no state. */
    private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

    private final JcaJceHelper helper = new ProviderJcaJceHelper(BOUNCY_CASTLE) {
        @Override
        public Cipher createCipher(String algorithm) throws NoSuchAlgorithmException, NoSuchPaddingException {
            return Cipher.getInstance(algorithm);
        }

        @Override
        public Mac createMac(String algorithm) throws NoSuchAlgorithmException {
            return Mac.getInstance(algorithm);
        }
    };

    /** A TLS implementation (Bouncy Castle's JSSE) on this crypto, to build the node's TLS contexts with. */
    Provider jsse() {
        return new BouncyCastleJsseProvider(false, this);
    }

    /** The node's key and certificate, in the types Bouncy Castle's TLS signs and checks with. */
    IdentityKeyManager keyManager(NodeIdentity identity) throws GeneralSecurityException {
        PrivateKey key = KeyFactory.getInstance("Ed25519", BOUNCY_CASTLE)
                .generatePrivate(new PKCS8EncodedKeySpec(identity.tlsPrivateKey().getEncoded()));
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509", BOUNCY_CASTLE)
                .generateCertificate(new ByteArrayInputStream(identity.certificate().getEncoded()));
        return new IdentityKeyManager(key, certificate);
    }

    @Override
    public JcaJceHelper getHelper() {
        return helper;
    }
}
