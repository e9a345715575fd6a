package org.ringchat.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class CpuCategoryTest {

    @Test
    void aStackIsNamedByItsTopmostFrameThatBelongsToACategory() {
        assertEquals("engine bookkeeping", CpuCategory.of(List.of("java.util.HashMap.putVal", "java.util.HashMap.put",
                "org.ringchat.group.internal.GroupEngine.onFrame")));
        assertEquals("codec and copies", CpuCategory.of(List.of("java.util.Arrays.copyOf",
                "org.ringchat.group.internal.WireWriter.grow", "org.ringchat.group.internal.GroupEngine.send")));
        assertEquals("TLS records and ciphers", CpuCategory.of(List.of("com.sun.crypto.provider.GHASH.processBlocks",
                "sun.security.ssl.SSLEngineImpl.wrap", "io.netty.handler.ssl.SslHandler.wrap")));
        assertEquals("signatures", CpuCategory.of(List.of("org.bouncycastle.math.ec.rfc8032.Ed25519.verify",
                "org.ringchat.group.internal.MessageVerifier.verify")));
        assertEquals("store", CpuCategory.of(List.of("org.h2.mvstore.Page.write",
                "org.ringchat.state.internal.MVStateStore.commit")));
        assertEquals("thread hand-offs", CpuCategory.of(List.of("jdk.internal.misc.Unsafe.unpark",
                "java.util.concurrent.locks.LockSupport.unpark", "org.ringchat.group.internal.GroupEngine.execute")));
        assertEquals("network", CpuCategory.of(List.of("sun.nio.ch.SocketDispatcher.write",
                "io.netty.channel.nio.AbstractNioByteChannel.doWrite")));
    }

    @Test
    void bouncyCastlesEd25519UnderATlsHandshakeIsTheHandshakesAndElsewhereASignatures() {
        assertEquals("TLS handshakes", CpuCategory.of(List.of("org.bouncycastle.math.ec.rfc7748.X25519Field.mul",
                "org.bouncycastle.math.ec.rfc8032.Ed25519.verify", "org.bouncycastle.tls.TlsUtils.verifyCertificateVerifyServer",
                "org.bouncycastle.tls.TlsClientProtocol.handleHandshakeMessage", "org.bouncycastle.tls.TlsProtocol.processRecord")));
        assertEquals("TLS records and ciphers", CpuCategory.of(List.of("com.sun.crypto.provider.GHASH.processBlocks",
                "org.bouncycastle.tls.crypto.impl.jcajce.JceAEADCipherImpl.doFinal", "org.bouncycastle.tls.TlsProtocol.writeApplicationData")));
        assertEquals("signatures", CpuCategory.of(List.of("org.bouncycastle.math.ec.rfc7748.X25519Field.mul",
                "org.bouncycastle.math.ec.rfc8032.Ed25519.verify", "org.ringchat.group.internal.MessageVerifier.verify")));
    }

    @Test
    void aStateLogIsTheEnginesBookkeepingNotTheStore() {
        assertEquals("engine bookkeeping", CpuCategory.of(List.of("org.ringchat.state.log.StateLog.append")));
    }

    @Test
    void aStackOfNoneOfThemIsOther() {
        assertEquals(CpuCategory.OTHER, CpuCategory.of(List.of("java.lang.String.hashCode", "java.lang.Thread.run")));
        assertEquals(CpuCategory.OTHER, CpuCategory.of(List.of()));
    }
}
