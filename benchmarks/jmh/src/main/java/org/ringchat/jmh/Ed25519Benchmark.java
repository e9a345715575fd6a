package org.ringchat.jmh;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.ringchat.crypto.internal.Ed25519Identity;

/**
 * Ed25519 as ringchat does it (the node identity: Bouncy Castle, private key held, the public key decoded
 * from its 32 bytes at every verification), Bouncy Castle with the public key decoded once, and the JDK's
 * SunEC for comparison. The data is about a signed message's size.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class Ed25519Benchmark {

    @Param({"1200"})
    int dataBytes;

    private Scratch scratch;
    private Ed25519Identity identity;
    private byte[] data;
    private byte[] signature;
    private byte[] publicKey;
    private Ed25519PrivateKeyParameters bcPrivate;
    private Ed25519PublicKeyParameters bcPublic;
    private byte[] bcSignature;
    private KeyPair jdkKeys;
    private byte[] jdkSignature;

    @Setup
    public void setUp() throws Exception {
        scratch = new Scratch();
        identity = scratch.identity();
        data = new byte[dataBytes];
        new Random(1).nextBytes(data);
        signature = identity.sign(data);
        publicKey = identity.publicKey();
        bcPrivate = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
        bcPublic = bcPrivate.generatePublicKey();
        bcSignature = bcSign();
        jdkKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        jdkSignature = jdkSign();
    }

    @TearDown
    public void tearDown() {
        scratch.close();
    }

    @Benchmark
    public byte[] ringchatSign() {
        return identity.sign(data);
    }

    @Benchmark
    public boolean ringchatVerify() {
        return identity.verify(publicKey, data, signature);
    }

    @Benchmark
    public byte[] bcSign() {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, bcPrivate);
        signer.update(data, 0, data.length);
        return signer.generateSignature();
    }

    /** What a verifier saves by keeping each author's decoded key. */
    @Benchmark
    public boolean bcVerifyDecodedKey() {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, bcPublic);
        verifier.update(data, 0, data.length);
        return verifier.verifySignature(bcSignature);
    }

    @Benchmark
    public byte[] jdkSign() throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(jdkKeys.getPrivate());
        s.update(data);
        return s.sign();
    }

    @Benchmark
    public boolean jdkVerify() throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(jdkKeys.getPublic());
        s.update(data);
        return s.verify(jdkSignature);
    }
}
