package org.ringchat.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ringchat.state.internal.MVStateStore;

class IdentityComponentTest {

    @TempDir
    Path dir;

    @Test
    void servesTheIdentityKeptInTheNodesStore() {
        IdentityComponent component;
        IdentityComponent again;
        try (MVStateStore store = MVStateStore.open(dir)) {
            component = new IdentityComponent(store);
        }
        try (MVStateStore store = MVStateStore.open(dir)) {
            again = new IdentityComponent(store);
        }
        assertEquals(component.peerId(), again.peerId());
        assertArrayEquals(component.publicKey(), again.publicKey());
        assertEquals(component.certificate().getPublicKey(), again.certificate().getPublicKey());

        byte[] data = "signed by the component".getBytes(StandardCharsets.UTF_8);
        assertTrue(again.verify(component.publicKey(), data, component.sign(data)));
        assertEquals("EdDSA", component.tlsPrivateKey().getAlgorithm());
    }
}
