package org.ringchat.state.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes decode to an op whose encoding is exactly those bytes (docs/STATE.md: the encoding is canonical),
 * or are rejected with {@link InvalidOpException} and a one-line reason, never with another exception.
 */
class StateOpFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decodesCanonicallyOrRejectsWithOneLine(byte[] encoded) {
        StateOp op;
        try {
            op = StateOp.decode(encoded);
        } catch (InvalidOpException e) {
            assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl),
                    () -> "the reason is logged as one line, no control characters: " + e.getMessage());
            return;
        }
        assertArrayEquals(encoded, op.encode(), "only an op's own encoding decodes to it");
        assertTrue(op.parents().size() <= StateOp.MAX_PARENTS);
    }
}
