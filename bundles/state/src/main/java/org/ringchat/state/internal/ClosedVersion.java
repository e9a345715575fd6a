package org.ringchat.state.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The version an MVStore was last closed at, in a small file beside it: a store that opens at an earlier
 * version has lost its latest chunks. Only a clean close writes it, so a store that a killed process
 * left behind (which MVStore opens at its last commit) is compared with the close before.
 */
final class ClosedVersion {

    static final String SUFFIX = ".closed-version";

    final Path file;

    ClosedVersion(Path file) {
        this.file = file;
    }

    /** The version noted, or 0 if none is (a new store, or one from before this file was kept). */
    long read() throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException(file + " holds no version number: delete it if the store beside it is sound");
        }
    }

    void write(long version) throws IOException {
        Path written = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(written, version + "\n", StandardCharsets.US_ASCII);
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
