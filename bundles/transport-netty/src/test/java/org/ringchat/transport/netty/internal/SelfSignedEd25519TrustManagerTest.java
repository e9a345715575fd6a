package org.ringchat.transport.netty.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.crypto.internal.Ed25519Identity;

class SelfSignedEd25519TrustManagerTest {

    @TempDir
    Path dir;
    @TempDir
    Path otherDir;
    private SelfSignedEd25519TrustManager trust;

    @BeforeEach
    void createTrustManager() {
        trust = new SelfSignedEd25519TrustManager(TestNode.identity(otherDir));
    }

    @Test
    void acceptsANodeCertificateAndReadsItsPeerId() throws Exception {
        Ed25519Identity identity = TestNode.identity(dir);
        X509Certificate certificate = identity.certificate();

        trust.checkClientTrusted(new X509Certificate[] {certificate}, "UNKNOWN");
        trust.checkServerTrusted(new X509Certificate[] {certificate}, "UNKNOWN");
        assertArrayEquals(identity.publicKey(), PeerCertificates.rawEd25519Key(certificate));
        assertEquals(identity.peerId(), PeerCertificates.peerId(certificate));
    }

    @Test
    void rejectsChainsThatAreNotOneCertificate() {
        X509Certificate certificate = TestNode.identity(dir).certificate();
        assertThrows(CertificateException.class, () -> trust.checkClientTrusted(new X509Certificate[0], "UNKNOWN"));
        assertThrows(CertificateException.class, () -> trust.checkClientTrusted(null, "UNKNOWN"));
        assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(new X509Certificate[] {certificate, certificate}, "UNKNOWN"));
    }

    @Test
    void rejectsACertificateSignedByAnotherKey() throws Exception {
        KeyPair subject = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair signer = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        X509Certificate certificate = certificate(subject, signer, "Ed25519");

        CertificateException e = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(new X509Certificate[] {certificate}, "UNKNOWN"));
        assertEquals("certificate is not signed by its own Ed25519 key", e.getMessage());
        trust.checkServerTrusted(new X509Certificate[] {certificate(subject, subject, "Ed25519")}, "UNKNOWN");
    }

    @Test
    void rejectsOtherKeyTypes() throws Exception {
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X509Certificate certificate = certificate(ec, ec, "SHA256withECDSA");

        CertificateException e = assertThrows(CertificateException.class,
                () -> trust.checkClientTrusted(new X509Certificate[] {certificate}, "UNKNOWN"));
        assertEquals("certificate key is EC, not Ed25519", e.getMessage());
    }

    /** A certificate for {@code subject}'s key, signed by {@code signer}'s. */
    private static X509Certificate certificate(KeyPair subject, KeyPair signer, String algorithm) throws Exception {
        X500Name name = new X500Name("CN=test");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        byte[] encoded = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now), Date.from(now.plus(1, ChronoUnit.DAYS)),
                name, subject.getPublic())
                .build(new JcaContentSignerBuilder(algorithm).setProvider(TestNode.BOUNCY_CASTLE).build(signer.getPrivate()))
                .getEncoded();
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(encoded));
    }
}
