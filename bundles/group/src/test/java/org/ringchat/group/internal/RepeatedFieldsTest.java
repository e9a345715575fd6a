package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.ringchat.group.internal.BatchSignatureTest.decode;
import static org.ringchat.group.internal.BatchSignatureTest.encode;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.ringchat.api.GroupId;
import org.ringchat.api.PeerId;
import org.ringchat.state.log.OpHash;

/** Messages decoded one after another share their author's and state heads' objects, and only when equal. */
class RepeatedFieldsTest {

    private static final TestIdentity AUTHOR = new TestIdentity();
    private static final TestIdentity OTHER = new TestIdentity();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final GroupId GROUP = GroupId.random(RANDOM);
    private static final List<OpHash> STATE = List.of(head(1));
    private static final List<OpHash> LATER_STATE = List.of(head(1), head(2));

    private static OpHash head(int b) {
        byte[] bytes = new byte[OpHash.LENGTH];
        bytes[5] = (byte) b;
        return OpHash.fromBytes(bytes);
    }

    private static SignedMessage decoded(TestIdentity author, List<OpHash> state, String text) {
        return decode(encode(SignedMessage.create(author, GROUP, List.of(), Instant.ofEpochMilli(7), state, text)));
    }

    @Test
    void eachMessageKeepsItsOwnAuthorAndStateWhateverCameBefore() {
        SignedMessage first = decoded(AUTHOR, STATE, "one");
        SignedMessage second = decoded(AUTHOR, STATE, "two");
        assertSame(first.author, second.author, "one peer ID for a run of one author");
        assertSame(first.authorKey, second.authorKey);
        assertSame(first.stateHeads, second.stateHeads);

        SignedMessage byOther = decoded(OTHER, LATER_STATE, "three");
        SignedMessage againFirst = decoded(AUTHOR, STATE, "four");
        for (SignedMessage m : List.of(first, second, byOther, againFirst)) {
            assertEquals(PeerId.fromPublicKey(m.authorKey), m.author);
        }
        assertEquals(OTHER.peerId(), byOther.author);
        assertArrayEquals(OTHER.publicKey(), byOther.authorKey);
        assertEquals(LATER_STATE, byOther.stateHeads);
        assertEquals(AUTHOR.peerId(), againFirst.author);
        assertEquals(STATE, againFirst.stateHeads);
        assertEquals(AUTHOR.peerId(), first.author, "the first message's author did not change after");
    }
}
