package org.ringchat.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityComponentTest {

    @TempDir
    Path dir;

    private static IdentityComponent.Config dataDir(Path path) {
        return new IdentityComponent.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return IdentityComponent.Config.class;
            }

            @Override
            public String data_dir() {
                return path.toString();
            }
        };
    }

    @Test
    void servesTheIdentityKeptInTheConfiguredDirectory() {
        IdentityComponent component = new IdentityComponent(dataDir(dir));
        assertTrue(Files.exists(dir.resolve("identity.key")));

        IdentityComponent again = new IdentityComponent(dataDir(dir));
        assertEquals(component.peerId(), again.peerId());
        assertArrayEquals(component.publicKey(), again.publicKey());
        assertEquals(component.certificate().getPublicKey(), again.certificate().getPublicKey());

        byte[] data = "signed by the component".getBytes(StandardCharsets.UTF_8);
        assertTrue(again.verify(component.publicKey(), data, component.sign(data)));
        assertEquals("EdDSA", component.tlsPrivateKey().getAlgorithm());
    }
}
