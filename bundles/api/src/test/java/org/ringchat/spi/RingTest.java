package org.ringchat.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.ringchat.api.GroupId;
import org.ringchat.api.PeerId;
import org.ringchat.spi.testing.Members;

/** The ring order every member must agree on, which both topologies build on. */
class RingTest {

    @Test
    void theSameMembersInAnyOrderMakeTheSameRing() {
        List<PeerId> peers = Members.peers(100);
        Ring ring = Ring.of(Members.GROUP, peers);
        Random random = new Random(7);
        for (int i = 0; i < 10; i++) {
            List<PeerId> shuffled = new ArrayList<>(peers);
            Collections.shuffle(shuffled, random);
            Ring again = Ring.of(Members.GROUP, shuffled);
            assertEquals(ring, again);
            assertEquals(ring.members(), again.members());
        }
    }

    @Test
    void membersAreOrderedByTheHashOfGroupAndPeer() throws Exception {
        Ring ring = Ring.of(Members.GROUP, Members.peers(100));
        byte[] previous = null;
        for (PeerId member : ring.members()) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(Members.GROUP.toBytes());
            byte[] key = sha256.digest(member.toBytes());
            assertTrue(previous == null || Arrays.compareUnsigned(previous, key) < 0);
            previous = key;
        }
    }

    @Test
    void anotherGroupOrdersTheSameMembersDifferently() {
        List<PeerId> peers = Members.peers(100);
        GroupId other = GroupId.fromBytes(new byte[GroupId.LENGTH]);
        assertNotEquals(Ring.of(Members.GROUP, peers).members(), Ring.of(other, peers).members());
    }

    @Test
    void duplicatesAreDropped() {
        List<PeerId> peers = new ArrayList<>(Members.peers(5));
        peers.addAll(Members.peers(3));
        assertEquals(5, Ring.of(Members.GROUP, peers).size());
    }

    @Test
    void stepsWrapAround() {
        Ring ring = Members.ring(7);
        PeerId first = ring.at(0);
        assertEquals(ring.at(6), ring.after(first, -1));
        assertEquals(first, ring.after(first, 7));
        assertEquals(ring.at(2), ring.at(-5));
        assertEquals(6, ring.distance(first, ring.at(6)));
        assertEquals(1, ring.distance(ring.at(6), first));
        assertEquals(0, ring.distance(first, first));
    }

    @Test
    void aNonMemberHasNoPosition() {
        Ring ring = Members.ring(7);
        PeerId outsider = Members.peer(7);
        assertEquals(-1, ring.positionOf(outsider));
        assertThrows(IllegalArgumentException.class, () -> ring.after(outsider, 1));
    }
}
