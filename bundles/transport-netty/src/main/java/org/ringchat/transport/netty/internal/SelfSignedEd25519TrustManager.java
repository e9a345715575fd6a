package org.ringchat.transport.netty.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts any peer that presents a single self-signed Ed25519 certificate. There is no certificate
 * authority: a peer's identity is its key, and which key is expected is checked once the handshake is done.
 *
 * <p>It extends {@link X509ExtendedTrustManager} so that the JDK uses it as it is, instead of wrapping it
 * in checks of host names that a peer's certificate does not contain.
 */
final class SelfSignedEd25519TrustManager extends X509ExtendedTrustManager {

    static final SelfSignedEd25519TrustManager INSTANCE = new SelfSignedEd25519TrustManager();

    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private SelfSignedEd25519TrustManager() {
    }

    private static void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length != 1) {
            throw new CertificateException("expected one self-signed certificate, got " + (chain == null ? 0 : chain.length));
        }
        X509Certificate certificate = chain[0];
        PeerCertificates.rawEd25519Key(certificate);
        try {
            certificate.verify(certificate.getPublicKey());
        } catch (GeneralSecurityException e) {
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
