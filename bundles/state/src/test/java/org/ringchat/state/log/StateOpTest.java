package org.ringchat.state.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.wire.WireWriter;

class StateOpTest {

    private static final TestIdentity ALICE = new TestIdentity(new Random(1));
    private static final TestIdentity BOB = new TestIdentity(new Random(2));
    private static final StateOp GENESIS = StateOp.genesis(ALICE, "friends", new PeerAddress(ALICE.peerId(), "127.0.0.1", 7401),
            1_700_000_000_000L, 42);
    private static final GroupId GROUP = GENESIS.groupId();
    private static final PeerAddress BOB_ADDRESS = new PeerAddress(BOB.peerId(), "bob.example", 7402);
    private static final MessageId BOBS_LAST = MessageId.fromBytes(HexFormat.of().parseHex("00112233445566778899aabbccddeeff"));

    /** One op of every kind. */
    private static List<StateOp> everyKind() {
        List<OpHash> parents = List.of(GENESIS.hash());
        List<StateOp> ops = new ArrayList<>(List.of(GENESIS));
        for (Change change : List.of(new Change.AddMember(BOB_ADDRESS, true), new Change.RemoveMember(BOB.peerId()),
                new Change.RemoveMember(BOB.peerId(), Optional.of(BOBS_LAST)), new Change.GrantOwner(BOB.peerId()),
                new Change.RevokeOwner(BOB.peerId()), new Change.Rename("Freunde ☕"), new Change.Leave(),
                new Change.Leave(Optional.of(BOBS_LAST)), new Change.UpdateAddress("::1", 65535))) {
            ops.add(StateOp.sign(ALICE, GROUP, parents, 1_700_000_000_001L, change));
        }
        assertEquals(Set.of(Change.Kind.values()), ops.stream().map(op -> op.change().kind()).collect(Collectors.toSet()));
        return ops;
    }

    @Test
    void everyKindSurvivesARoundTrip() throws InvalidOpException {
        for (StateOp op : everyKind()) {
            StateOp decoded = StateOp.decode(op.encode());
            assertEquals(op, decoded);
            assertEquals(op.hash(), decoded.hash());
            assertArrayEquals(op.encode(), decoded.encode());
            assertEquals(op.groupId(), decoded.groupId());
            assertEquals(op.parents(), decoded.parents());
            assertEquals(op.author(), decoded.author());
            assertEquals(ALICE.peerId(), decoded.author());
            assertEquals(op.createdAtMillis(), decoded.createdAtMillis());
            assertEquals(op.change(), decoded.change());
            assertTrue(decoded.hasValidSignature(ALICE), op.toString());
        }
    }

    @Test
    void encodingIsLaidOutAsDocumented() throws Exception {
        StateOp op = StateOp.sign(ALICE, GROUP, List.of(GENESIS.hash()), 0x0102030405060708L,
                new Change.RemoveMember(BOB.peerId(), Optional.of(BOBS_LAST)));
        byte[] e = op.encode();
        assertEquals(1 + 32 + 2 + 32 + 32 + 8 + 1 + 32 + 1 + 16 + 64, e.length);
        assertEquals(2, e[0], "format");
        assertArrayEquals(GROUP.toBytes(), Arrays.copyOfRange(e, 1, 33));
        assertArrayEquals(new byte[] {0, 1}, Arrays.copyOfRange(e, 33, 35), "parent count");
        assertArrayEquals(GENESIS.hash().toBytes(), Arrays.copyOfRange(e, 35, 67));
        assertArrayEquals(ALICE.publicKey(), Arrays.copyOfRange(e, 67, 99));
        assertArrayEquals(HexFormat.of().parseHex("0102030405060708"), Arrays.copyOfRange(e, 99, 107));
        assertEquals(3, e[107], "kind REMOVE_MEMBER");
        assertArrayEquals(BOB.peerId().toBytes(), Arrays.copyOfRange(e, 108, 140));
        assertEquals(1, e[140], "one message named");
        assertArrayEquals(BOBS_LAST.toBytes(), Arrays.copyOfRange(e, 141, 157));
        StateOp namingNone = StateOp.sign(ALICE, GROUP, List.of(GENESIS.hash()), 0, new Change.Leave());
        assertArrayEquals(new byte[] {7, 0}, Arrays.copyOfRange(namingNone.encode(), 107, 109), "LEAVE naming no message");

        byte[] fields = Arrays.copyOf(e, e.length - 64);
        byte[] signed = concat("ringchat/state-op/1".getBytes(StandardCharsets.US_ASCII), fields);
        assertTrue(ALICE.verify(ALICE.publicKey(), signed, Arrays.copyOfRange(e, e.length - 64, e.length)));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(signed), op.hash().toBytes(),
                "the hash covers the signed bytes, not the signature");
    }

    /** Stored logs hold ops of format 1, in which REMOVE_MEMBER and LEAVE name no message. */
    @Test
    void anOpOfFormatOneStillDecodesAndApplies() throws Exception {
        StateOp addBob = StateOp.sign(ALICE, GROUP, List.of(GENESIS.hash()), 1, new Change.AddMember(BOB_ADDRESS, false));
        byte[] fields = concat(new byte[] {1}, GROUP.toBytes(), new byte[] {0, 1}, addBob.hash().toBytes(),
                ALICE.publicKey(), new byte[8], new byte[] {3}, BOB.peerId().toBytes());
        byte[] signed = concat("ringchat/state-op/1".getBytes(StandardCharsets.US_ASCII), fields);
        byte[] encoded = concat(fields, ALICE.sign(signed));

        StateOp removeBob = StateOp.decode(encoded);
        assertEquals(new Change.RemoveMember(BOB.peerId()), removeBob.change());
        assertArrayEquals(encoded, removeBob.encode(), "written back as it was signed");
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(signed), removeBob.hash().toBytes());

        StateLog log = new StateLog(GROUP, ALICE);
        for (StateOp op : List.of(GENESIS, addBob, removeBob)) {
            assertEquals(AddResult.Status.ACCEPTED, log.add(op).status(), op.toString());
        }
        assertFalse(log.state().orElseThrow().isMember(BOB.peerId()));
    }

    @Test
    void theGroupIdIsDerivedFromTheCreateOp() throws Exception {
        byte[] fields = Arrays.copyOf(GENESIS.encode(), GENESIS.encode().length - 64);
        Arrays.fill(fields, 1, 33, (byte) 0);
        byte[] expected = MessageDigest.getInstance("SHA-256")
                .digest(concat("ringchat/group-id/1".getBytes(StandardCharsets.US_ASCII), fields));
        assertArrayEquals(expected, GROUP.toBytes());

        StateOp other = StateOp.genesis(ALICE, "friends", new PeerAddress(ALICE.peerId(), "127.0.0.1", 7401),
                1_700_000_000_000L, 43);
        assertFalse(other.groupId().equals(GROUP), "another nonce, another group");
    }

    @Test
    void aCreateOpClaimingAnotherGroupIdIsRefused() {
        byte[] forged = GENESIS.encode();
        forged[5] ^= 1;
        assertInvalid(forged, "CREATE: the group ID is not the one derived from the op");
    }

    @Test
    void everyTruncationIsRefused() {
        for (StateOp op : everyKind()) {
            byte[] e = op.encode();
            for (int length = 0; length < e.length; length++) {
                assertInvalid(Arrays.copyOf(e, length), "truncated");
            }
        }
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] e = GENESIS.encode();
        assertInvalid(Arrays.copyOf(e, e.length + 3), "3 unexpected trailing bytes");
    }

    @Test
    void malformedFieldsAreRefusedWithAClearMessage() {
        StateOp rename = StateOp.sign(ALICE, GROUP, List.of(GENESIS.hash()), 0, new Change.Rename("x"));
        byte[] e = rename.encode();

        byte[] format = e.clone();
        format[0] = 3;
        assertInvalid(format, "unknown op format 3");
        for (int kind : new int[] {0, 9, 255}) {
            assertInvalid(withPayload(rename, kind, new byte[0]), "unknown op kind " + kind);
        }
        assertInvalid(concat(new byte[] {1}, GROUP.toBytes(), new byte[] {0, 65}), "parents: 65 items, at most 64");
        assertInvalid(withPayload(rename, 6, string("n".repeat(201))), "RENAME: group name: 201 bytes, at most 200");
        assertInvalid(withPayload(rename, 6, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}),
                "group name: 4294967295 bytes, at most 200");
        assertInvalid(withPayload(rename, 6, new byte[] {0, 0, 0, 2, (byte) 0xc3, 0x28}), "group name: not valid UTF-8");
        assertInvalid(withPayload(rename, 6, string("a\nb")), "RENAME: group name: contains control characters");
        assertInvalid(withPayload(rename, 6, string(" ")), "RENAME: group name: blank");
        assertInvalid(withPayload(rename, 8, concat(string("h".repeat(256)), new byte[] {0, 1})), "host: 256 bytes, at most 255");
        assertInvalid(withPayload(rename, 8, concat(string("evil\nhost"), new byte[] {0, 1})),
                "UPDATE_ADDRESS: host: contains a space, a control character, '@' or '/'");
        assertInvalid(withPayload(rename, 8, concat(string("h"), new byte[] {0, 0})), "UPDATE_ADDRESS: port: 0, not in 1..65535");
        assertInvalid(withPayload(rename, 2, concat(BOB.peerId().toBytes(), string("h"), new byte[] {0, 1, 2})),
                "ADD_MEMBER: unknown flags 2");
        assertInvalid(withPayload(rename, 2, concat(BOB.peerId().toBytes(), string("a b"), new byte[] {0, 1, 0})),
                "ADD_MEMBER: host: contains a space");
        assertInvalid(withPayload(rename, 1, concat(string("g"), string("h"), new byte[] {0, 1}, new byte[8])),
                "CREATE: has parents, but starts a group");
        assertInvalid(withPayload(rename, 7, new byte[] {2}), "LEAVE: last message: 2 named, at most 1");
        assertInvalid(withPayload(rename, 3, concat(BOB.peerId().toBytes(), new byte[] {2})),
                "REMOVE_MEMBER: last message: 2 named, at most 1");
        assertInvalid(Arrays.copyOf(e, StateOp.MAX_ENCODED_BYTES + 1), "op: 4097 bytes, at most 4096");
    }

    @Test
    void parentsMustBeAscendingAndDistinct() {
        StateOp one = StateOp.sign(ALICE, GROUP, List.of(GENESIS.hash()), 0, new Change.Leave());
        OpHash low = OpHash.fromBytes(new byte[32]);
        OpHash high = OpHash.fromBytes(HexFormat.of().parseHex("ff".repeat(32)));
        StateOp two = StateOp.sign(ALICE, GROUP, List.of(high, low, low), 0, new Change.Leave());
        assertEquals(List.of(low, high), two.parents(), "sorted, repeats dropped");
        byte[] e = two.encode();
        byte[] swapped = e.clone();
        System.arraycopy(e, 35 + 32, swapped, 35, 32);
        System.arraycopy(e, 35, swapped, 35 + 32, 32);
        assertInvalid(swapped, "parents: not in ascending order, or repeated");
        byte[] repeated = e.clone();
        System.arraycopy(e, 35, repeated, 35 + 32, 32);
        assertInvalid(repeated, "parents: not in ascending order, or repeated");

        byte[] orphan = concat(Arrays.copyOf(one.encode(), 33), new byte[] {0, 0},
                Arrays.copyOfRange(one.encode(), 35 + 32, one.encode().length));
        assertInvalid(orphan, "LEAVE: no parents");
    }

    @Test
    void randomBytesNeverThrowAnythingButInvalidOpException() {
        Random random = new Random(7);
        List<byte[]> valid = everyKind().stream().map(StateOp::encode).toList();
        int decoded = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(400)];
                random.nextBytes(input);
                if (input.length > 0 && random.nextBoolean()) {
                    input[0] = 1; // get past the format byte more often
                }
            } else {
                input = mutate(valid.get(random.nextInt(valid.size())), random);
            }
            try {
                StateOp op = StateOp.decode(input);
                // Whatever decodes is canonical: it encodes back to the very same bytes.
                assertArrayEquals(input, op.encode());
                decoded++;
            } catch (InvalidOpException e) {
                assertFalse(e.getMessage().isBlank() || e.getMessage().contains("\n"), e.getMessage());
            } catch (RuntimeException e) {
                fail("decoding " + HexFormat.of().formatHex(input) + " threw " + e, e);
            }
        }
        assertTrue(decoded > 0, "some mutations (of a time stamp, a key, a signature) still decode");
    }

    @Test
    void signingRefusesWhatCouldNotBeDecoded() {
        assertThrows(IllegalArgumentException.class, () -> StateOp.sign(ALICE, GROUP, List.of(), 0, new Change.Leave()));
        List<OpHash> tooMany = IntStream.range(0, 65).mapToObj(i -> OpHash.fromBytes(fill(i))).toList();
        assertThrows(IllegalArgumentException.class, () -> StateOp.sign(ALICE, GROUP, tooMany, 0, new Change.Leave()));
        assertThrows(IllegalArgumentException.class, () -> StateOp.sign(ALICE, GROUP, List.of(GENESIS.hash()), 0,
                GENESIS.change()));
        assertThrows(IllegalArgumentException.class, () -> StateOp.genesis(ALICE, "g", BOB_ADDRESS, 0));
        assertThrows(IllegalArgumentException.class, () -> new Change.Rename("é".repeat(101)));
        assertThrows(IllegalArgumentException.class, () -> new Change.UpdateAddress("h", 0));
        assertThrows(IllegalArgumentException.class, () -> new Change.AddMember(
                new PeerAddress(PeerId.fromBytes(new byte[32]), "é".repeat(200), 1), false));
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] b = valid.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    b[random.nextInt(b.length)] = (byte) random.nextInt(256);
                }
            }
            case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length + 8));
            default -> {
                int at = random.nextInt(b.length);
                b[at] = (byte) (random.nextBoolean() ? 0xff : 0);
            }
        }
        return b;
    }

    /** The template's fields up to the kind, then the given kind, payload and a zero signature. */
    private static byte[] withPayload(StateOp template, int kind, byte[] payload) {
        int head = 1 + 32 + 2 + 32 * template.parents().size() + 32 + 8;
        return concat(Arrays.copyOf(template.encode(), head), new byte[] {(byte) kind}, payload, new byte[64]);
    }

    private static byte[] string(String s) {
        return new WireWriter().string(s).toByteArray();
    }

    private static byte[] fill(int value) {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        WireWriter w = new WireWriter();
        for (byte[] part : parts) {
            w.bytes(part);
        }
        return w.toByteArray();
    }

    private static void assertInvalid(byte[] input, String expectedMessagePart) {
        InvalidOpException e = assertThrows(InvalidOpException.class, () -> StateOp.decode(input));
        assertTrue(e.getMessage().contains(expectedMessagePart), "'" + e.getMessage() + "' should say '" + expectedMessagePart + "'");
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
