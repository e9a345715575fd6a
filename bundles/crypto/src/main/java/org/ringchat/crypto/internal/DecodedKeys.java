package org.ringchat.crypto.internal;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 public keys as points of the curve, each decoded once: decoding takes a square root in the field,
 * about a tenth of a verification (measured in the harness), and a node verifies the signatures of the same
 * few authors all the time. Thread-safe. Bounded: when full it starts again empty, which costs only the
 * decoding again.
 */
final class DecodedKeys {

    static final int CAPACITY = 4096;

    /** By the key's bytes: a buffer compares and hashes its content. */
    private final Map<ByteBuffer, Ed25519.PublicPoint> points = new ConcurrentHashMap<>();

    /** The point a 32-byte public key encodes, or null when it encodes none. */
    Ed25519.PublicPoint point(byte[] publicKey) {
        Ed25519.PublicPoint point = points.get(ByteBuffer.wrap(publicKey));
        if (point == null) {
            // the check Bouncy Castle's Ed25519PublicKeyParameters makes
            point = Ed25519.validatePublicKeyPartialExport(publicKey, 0);
            if (point == null) {
                return null;
            }
            if (points.size() >= CAPACITY) {
                points.clear();
            }
            points.put(ByteBuffer.wrap(publicKey.clone()), point);
        }
        return point;
    }

    int size() {
        return points.size();
    }
}
