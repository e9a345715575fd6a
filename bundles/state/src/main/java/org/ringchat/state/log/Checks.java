package org.ringchat.state.log;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Bounds on the fields of a change; the messages never repeat the offending text, so they stay one line. */
final class Checks {

    private Checks() {
    }

    static void name(String name) {
        Objects.requireNonNull(name, "name");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (name.isBlank()) {
            throw new IllegalArgumentException("group name: blank");
        }
        if (bytes > StateOp.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("group name: " + bytes + " bytes, at most " + StateOp.MAX_NAME_BYTES);
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("group name: contains control characters");
        }
    }

    /** The rules of {@link org.ringchat.api.PeerAddress}, plus the byte limit of the encoding. */
    static void address(String host, int port) {
        Objects.requireNonNull(host, "host");
        int bytes = host.getBytes(StandardCharsets.UTF_8).length;
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host: empty");
        }
        if (bytes > StateOp.MAX_HOST_BYTES) {
            throw new IllegalArgumentException("host: " + bytes + " bytes, at most " + StateOp.MAX_HOST_BYTES);
        }
        if (host.chars().anyMatch(c -> c <= ' ' || c == '@' || c == '/')) {
            throw new IllegalArgumentException("host: contains a space, a control character, '@' or '/'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + ", not in 1..65535");
        }
    }
}
