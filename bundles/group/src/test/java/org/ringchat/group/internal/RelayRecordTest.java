package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ringchat.api.PeerAddress;
import org.ringchat.wire.MalformedInputException;

class RelayRecordTest {

    private static final TestIdentity MEMBER = new TestIdentity();
    private static final TestIdentity RELAY = new TestIdentity();
    private static final TestIdentity FORGER = new TestIdentity();
    private static final List<PeerAddress> RELAYS = List.of(new PeerAddress(RELAY.peerId(), "198.51.100.7", 7400));

    @Test
    void aRecordReadsBackAsItsMemberSignedIt() {
        RelayRecord record = RelayRecord.sign(MEMBER, 1_000_000L, RELAYS);

        RelayRecord read = RelayRecord.decode(record.encode());

        assertEquals(MEMBER.peerId(), read.peer());
        assertEquals(RELAYS, read.relays());
        assertEquals(1_000_000L, read.expiresAtMillis());
        assertTrue(read.verify(MEMBER));
        assertArrayEquals(record.encode(), read.encode());
    }

    @Test
    void aRecordThatNamesOtherRelaysOrLastsLongerNoLongerVerifies() {
        RelayRecord record = RelayRecord.sign(MEMBER, 1_000_000L, RELAYS);
        List<PeerAddress> forged = List.of(new PeerAddress(FORGER.peerId(), "203.0.113.9", 7400));

        assertFalse(new RelayRecord(record.publicKey(), 1_000_000L, forged, record.signature()).verify(MEMBER));
        assertFalse(new RelayRecord(record.publicKey(), 9_000_000L, RELAYS, record.signature()).verify(MEMBER));
    }

    @Test
    void aRecordSignedByAnotherKeyDoesNotVerifyForTheMember() {
        RelayRecord forged = RelayRecord.sign(FORGER, 1_000_000L, RELAYS);

        RelayRecord claimed = new RelayRecord(MEMBER.publicKey(), 1_000_000L, RELAYS, forged.signature());

        assertFalse(claimed.verify(MEMBER));
    }

    @Test
    void anAddressWrittenAnyOtherWayIsRefused() {
        byte[] body = RelayRecord.sign(MEMBER, 1L, RELAYS).encode();
        String canonical = RELAYS.get(0).toString();
        byte[] spaced = new String(body, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace(canonical, canonical.replace("@", "@ ").substring(0, canonical.length()))
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

        MalformedInputException e = assertThrows(MalformedInputException.class, () -> RelayRecord.decode(spaced));
        assertEquals("relay address: not written as <peerId>@<host>:<port>", e.getMessage());
    }
}
