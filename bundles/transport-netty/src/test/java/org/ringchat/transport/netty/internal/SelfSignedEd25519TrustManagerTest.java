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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.crypto.internal.Ed25519Identity;

class SelfSignedEd25519TrustManagerTest {

    private static final SelfSignedEd25519TrustManager TRUST = SelfSignedEd25519TrustManager.INSTANCE;

    @TempDir
    Path dir;

    @Test
    void acceptsANodeCertificateAndReadsItsPeerId() throws Exception {
        Ed25519Identity identity = TestNode.identity(dir);
        X509Certificate certificate = identity.certificate();

        TRUST.checkClientTrusted(new X509Certificate[] {certificate}, "UNKNOWN");
        TRUST.checkServerTrusted(new X509Certificate[] {certificate}, "UNKNOWN");
        assertArrayEquals(identity.publicKey(), PeerCertificates.rawEd25519Key(certificate));
        assertEquals(identity.peerId(), PeerCertificates.peerId(certificate));
    }

    @Test
    void rejectsChainsThatAreNotOneCertificate() {
        X509Certificate certificate = TestNode.identity(dir).certificate();
        assertThrows(CertificateException.class, () -> TRUST.checkClientTrusted(new X509Certificate[0], "UNKNOWN"));
        assertThrows(CertificateException.class, () -> TRUST.checkClientTrusted(null, "UNKNOWN"));
        assertThrows(CertificateException.class,
                () -> TRUST.checkServerTrusted(new X509Certificate[] {certificate, certificate}, "UNKNOWN"));
    }

    @Test
    void rejectsOtherKeyTypes() throws Exception {
        KeyPair ec = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X500Name name = new X500Name("CN=ec");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        byte[] encoded = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now), Date.from(now.plus(1, ChronoUnit.DAYS)),
                name, ec.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(TestNode.BOUNCY_CASTLE).build(ec.getPrivate()))
                .getEncoded();
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(encoded));

        CertificateException e = assertThrows(CertificateException.class,
                () -> TRUST.checkClientTrusted(new X509Certificate[] {certificate}, "UNKNOWN"));
        assertEquals("certificate key is EC, not Ed25519", e.getMessage());
    }
}
