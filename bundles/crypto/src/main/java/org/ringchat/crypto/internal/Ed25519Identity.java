package org.ringchat.crypto.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.ringchat.api.PeerId;
import org.ringchat.api.RingchatException;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.spi.StateStore;

/**
 * This node's Ed25519 key pair, kept in the node's store (map {@value #STORE_MAP}), which only its owner
 * can read.
 *
 * <p>The record holds {@link #MAGIC}, the 32-byte private seed and the 32-byte public key. The public key
 * is redundant on purpose: recomputing it from the seed on load detects a damaged record instead of
 * quietly turning it into a different identity.
 */
public final class Ed25519Identity implements NodeIdentity {

    /** Where in the node's store the key is kept. */
    static final String STORE_MAP = "identity";
    static final String STORE_KEY = "ed25519";
    static final byte[] MAGIC = "ringchat ed25519 key v1\n".getBytes(StandardCharsets.US_ASCII);
    static final int RECORD_LENGTH = MAGIC.length + Ed25519PrivateKeyParameters.KEY_SIZE + PUBLIC_KEY_LENGTH;

    /** The key is the identity; the certificate only carries it into TLS, so it need never expire in practice. */
    private static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(100 * 365);
    /** Tolerates peers whose clocks are behind ours. */
    private static final Duration CERTIFICATE_BACKDATING = Duration.ofDays(1);

    private static final System.Logger LOG = System.getLogger(Ed25519Identity.class.getName());

    private final Ed25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;
    private final PeerId peerId;
    private final X509Certificate certificate;
    private final PrivateKey tlsPrivateKey;
    private final DecodedKeys decodedKeys = new DecodedKeys();

    private Ed25519Identity(Ed25519PrivateKeyParameters privateKey, Provider bouncyCastle) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey().getEncoded();
        this.peerId = PeerId.fromPublicKey(publicKey);
        byte[] pkcs8 = pkcs8(privateKey);
        try {
            this.tlsPrivateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            this.certificate = selfSignedCertificate(
                    KeyFactory.getInstance("Ed25519", bouncyCastle).generatePrivate(new PKCS8EncodedKeySpec(pkcs8)),
                    bouncyCastle);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create the TLS certificate of " + peerId + ": " + e, e);
        }
    }

    /**
     * Loads the identity from the node's store, creating a new key pair and storing it (committed) in a
     * {@linkplain StateStore#isNew new} store. An identity is never replaced: a store that is not new and
     * holds no key, or a damaged one, is refused.
     *
     * @throws RingchatException with one line naming the store, if its identity is missing or damaged
     */
    public static Ed25519Identity loadOrCreate(StateStore store, Provider bouncyCastle) {
        StateStore.StoreMap map = store.map(STORE_MAP);
        byte[] record = map.get(STORE_KEY);
        if (record != null) {
            return new Ed25519Identity(decode(store, record), bouncyCastle);
        }
        if (!store.isNew()) {
            throw new RingchatException("the node's store " + store + " holds no identity key, though it is not new: "
                    + "restore the data directory from a backup (a new identity is made only in a new data directory)");
        }
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new SecureRandom());
        byte[] encoded = encode(key);
        map.put(STORE_KEY, encoded);
        store.commit();
        Arrays.fill(encoded, (byte) 0);
        Ed25519Identity identity = new Ed25519Identity(key, bouncyCastle);
        LOG.log(System.Logger.Level.INFO, "created new identity {0}", identity.peerId);
        return identity;
    }

    static Ed25519PrivateKeyParameters decode(StateStore store, byte[] record) {
        String damaged = "damaged identity in the node's store " + store + ": ";
        String keepIt = "; restore the data directory from a backup";
        if (record.length != RECORD_LENGTH) {
            throw new RingchatException(damaged + "expected " + RECORD_LENGTH + " bytes, found " + record.length + keepIt);
        }
        if (!Arrays.equals(record, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new RingchatException(damaged + "it does not start with the ringchat key header" + keepIt);
        }
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(record, MAGIC.length);
        byte[] storedPublic = Arrays.copyOfRange(record, MAGIC.length + Ed25519PrivateKeyParameters.KEY_SIZE, RECORD_LENGTH);
        if (!Arrays.equals(key.generatePublicKey().getEncoded(), storedPublic)) {
            throw new RingchatException(damaged + "the private key does not match the stored public key" + keepIt);
        }
        return key;
    }

    /** The stored form: a header, the seed, and the public key, so that a flipped bit is caught, not used. */
    private static byte[] encode(Ed25519PrivateKeyParameters key) {
        byte[] record = new byte[RECORD_LENGTH];
        System.arraycopy(MAGIC, 0, record, 0, MAGIC.length);
        key.encode(record, MAGIC.length);
        key.generatePublicKey().encode(record, MAGIC.length + Ed25519PrivateKeyParameters.KEY_SIZE);
        return record;
    }

    /** PKCS#8 (RFC 8410) form of the private key, which both the JDK and Bouncy Castle import. */
    private static byte[] pkcs8(Ed25519PrivateKeyParameters key) {
        try {
            return new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                    new DEROctetString(key.getEncoded())).getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode an Ed25519 private key", e);
        }
    }

    private X509Certificate selfSignedCertificate(PrivateKey signingKey, Provider bouncyCastle)
            throws OperatorCreationException, IOException, GeneralSecurityException {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, peerId.toString()).build();
        Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(CERTIFICATE_BACKDATING);
        BigInteger serial = new BigInteger(63, new SecureRandom()).add(BigInteger.ONE);
        SubjectPublicKeyInfo subjectKey = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), publicKey);
        byte[] encoded = new X509v3CertificateBuilder(name, serial, Date.from(notBefore),
                Date.from(notBefore.plus(CERTIFICATE_VALIDITY)), name, subjectKey)
                .build(new JcaContentSignerBuilder("Ed25519").setProvider(bouncyCastle).build(signingKey))
                .getEncoded();
        // Re-read by the JDK so that its TLS implementation gets a certificate class it knows.
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(encoded));
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
    public boolean verify(byte[] publicKey, byte[] data, byte[] signature) {
        if (publicKey == null || data == null || signature == null
                || publicKey.length != PUBLIC_KEY_LENGTH || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Ed25519.PublicPoint point = decodedKeys.point(publicKey);
            return point != null && Ed25519.verify(signature, 0, point, data, 0, data.length);
        } catch (RuntimeException e) {
            // Bouncy Castle rejects some malformed keys (not a curve point) with an exception.
            return false;
        }
    }

    @Override
    public X509Certificate certificate() {
        return certificate;
    }

    @Override
    public PrivateKey tlsPrivateKey() {
        return tlsPrivateKey;
    }

    @Override
    public String toString() {
        return "Ed25519Identity[" + peerId + "]";
    }
}
