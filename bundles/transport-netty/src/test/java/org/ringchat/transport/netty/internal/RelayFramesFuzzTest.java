package org.ringchat.transport.netty.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Every body of the transport's own frames from a hostile peer either decodes to what encodes back to it
 * byte for byte, or is refused with an {@link IllegalArgumentException} and a one-line reason — never
 * another exception. Input: a byte choosing the frame, then the body.
 */
class RelayFramesFuzzTest {

    private record Body(String frame, UnaryOperator<byte[]> decodeAndEncode) {
    }

    private static final List<Body> BODIES = List.of(
            new Body("REACH_REQUEST", body -> RelayFrames.ReachRequest.decode(body).frame().body()),
            new Body("REACH_RESULT", body -> RelayFrames.ReachResult.decode(body).frame().body()),
            new Body("RESERVED", body -> RelayFrames.Reserved.decode(body).frame().body()),
            new Body("CIRCUIT_OPEN", body -> RelayFrames.CircuitPeer.decode(RelayFrames.CIRCUIT_OPEN, body).frame().body()),
            new Body("CIRCUIT_CLOSE", body -> RelayFrames.CircuitSignal.decode(RelayFrames.CIRCUIT_CLOSE, body).frame().body()),
            new Body("CIRCUIT_DATA", body -> RelayFrames.CircuitData.decode(body).frame().body()));

    @FuzzTest(maxDuration = "10s")
    void everyBodyDecodesCanonicallyOrIsRefused(byte[] input) {
        if (input.length == 0) {
            return;
        }
        Body decoder = BODIES.get((input[0] & 0xff) % BODIES.size());
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        byte[] encoded;
        try {
            encoded = decoder.decodeAndEncode().apply(body);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl),
                    () -> decoder.frame() + ": the reason is logged as one line: " + e.getMessage());
            return;
        }
        assertArrayEquals(body, encoded, () -> decoder.frame() + " accepted a body that is not its own encoding");
    }
}
