package org.ringchat.transport.netty.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import org.ringchat.spi.NodeIdentity;

/**
 * Accepts any peer that presents a single self-signed Ed25519 certificate. There is no certificate
 * authority: a peer's identity is its key, and which key is expected is checked once the handshake is done.
 *
 * <p>It extends {@link X509ExtendedTrustManager} so that the JDK uses it as it is, instead of wrapping it
 * in checks of host names that a peer's certificate does not contain.
 *
 * <p>The self-signature is checked by the node's identity (Bouncy Castle) rather than by
 * {@link X509Certificate#verify}: the JDK's Ed25519 takes about 2 ms a signature, twice per handshake,
 * and a group that forms makes hundreds of handshakes (docs/BENCHMARKS.md, "Scale").
 */
final class SelfSignedEd25519TrustManager extends X509ExtendedTrustManager {

    private static final String ED25519_OID = "1.3.101.112";
    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private final NodeIdentity verifier;

    /** @param verifier checks the certificates' self-signatures */
    SelfSignedEd25519TrustManager(NodeIdentity verifier) {
        this.verifier = verifier;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length != 1) {
            throw new CertificateException("expected one self-signed certificate, got " + (chain == null ? 0 : chain.length));
        }
        X509Certificate certificate = chain[0];
        byte[] key = PeerCertificates.rawEd25519Key(certificate);
        if (!ED25519_OID.equals(certificate.getSigAlgOID())
                || !verifier.verify(key, certificate.getTBSCertificate(), certificate.getSignature())) {
            throw new CertificateException("certificate is not signed by its own Ed25519 key");
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }
}
