package org.ringchat.transport.netty.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.crypto.internal.Ed25519Identity;

/** The node's key and certificate as Bouncy Castle's TLS takes them: offered for Ed25519 only, and unchanged. */
class TlsCryptoTest {

    @TempDir
    Path dir;

    @Test
    void theNodesKeyIsOfferedForEd25519OnlyWithItsOwnCertificate() throws Exception {
        Ed25519Identity identity = TestNode.identity(dir);
        IdentityKeyManager keys = new TlsCrypto().keyManager(identity);

        String alias = keys.chooseEngineServerAlias("Ed25519", null, null);
        assertEquals(alias, keys.chooseEngineClientAlias(new String[] {"RSA", "Ed25519"}, null, null));
        assertNull(keys.chooseEngineServerAlias("EC/secp256r1", null, null));
        assertNull(keys.chooseEngineClientAlias(new String[] {"RSA", "Ed448"}, null, null));
        assertArrayEquals(identity.certificate().getEncoded(), keys.getCertificateChain(alias)[0].getEncoded());
        assertArrayEquals(identity.tlsPrivateKey().getEncoded(), keys.getPrivateKey(alias).getEncoded());
        assertEquals("Ed25519", keys.getPrivateKey(alias).getAlgorithm(), "Bouncy Castle's key type");
    }
}
