package org.ringchat.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.ringchat.crypto.internal.Ed25519Identity;
import org.ringchat.state.internal.MVStateStore;

/** A store in a temporary directory, and the node identity kept in it, for one benchmark trial. */
public final class Scratch implements AutoCloseable {

    private final Path dir;
    private final MVStateStore store;
    private final Ed25519Identity identity;

    public Scratch() {
        try {
            dir = Files.createTempDirectory("ringchat-jmh-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = MVStateStore.open(dir);
        identity = Ed25519Identity.loadOrCreate(store, new BouncyCastleProvider());
    }

    public MVStateStore store() {
        return store;
    }

    public Ed25519Identity identity() {
        return identity;
    }

    @Override
    public void close() {
        store.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
