package org.ringchat.state.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ringchat.api.GroupId;
import org.ringchat.api.Member;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;

/**
 * Owners, a member and a stranger sign whatever changes the fuzzer makes up, on whatever parents, some with a
 * damaged signature or for another group, some held back and sent later or twice. The log must accept exactly
 * the ops that docs/STATE.md ("Validity") calls valid, judged here on its own reading of the rules against the
 * state of each op's past; never throw; keep an owner while it has members; and be the same log when its ops
 * are added again in the opposite order.
 *
 * <p>Input: steps of four bytes, read by {@link #step}.
 */
class StateLogFuzzTest {

    private static final TestIdentity OWNER = new TestIdentity(new Random(1));
    private static final TestIdentity CO_OWNER = new TestIdentity(new Random(2));
    private static final TestIdentity MEMBER = new TestIdentity(new Random(3));
    private static final TestIdentity STRANGER = new TestIdentity(new Random(4));
    private static final List<TestIdentity> AUTHORS = List.of(OWNER, CO_OWNER, MEMBER, STRANGER);
    /** Whom changes name: the authors, and a peer that never signs anything. */
    private static final List<PeerId> TARGETS = List.of(OWNER.peerId(), CO_OWNER.peerId(), MEMBER.peerId(),
            STRANGER.peerId(), PeerId.fromPublicKey(new byte[32]));
    private static final List<String> NAMES = List.of("friends", "renamed", "other");

    private static final StateOp GENESIS = StateOp.genesis(OWNER, "friends", address(OWNER.peerId(), 7400), 1, 1);
    private static final GroupId GROUP = GENESIS.groupId();
    private static final GroupId OTHER_GROUP = StateOp.genesis(STRANGER, "elsewhere", address(STRANGER.peerId(), 7400), 1, 1)
            .groupId();
    private static final StateOp ADD_CO_OWNER = StateOp.sign(OWNER, GROUP, List.of(GENESIS.hash()), 2,
            new Change.AddMember(address(CO_OWNER.peerId(), 7400), true));
    private static final StateOp ADD_MEMBER = StateOp.sign(OWNER, GROUP, List.of(ADD_CO_OWNER.hash()), 3,
            new Change.AddMember(address(MEMBER.peerId(), 7400), false));

    private static PeerAddress address(PeerId peer, int port) {
        return new PeerAddress(peer, peer.shortText() + ".example", port);
    }

    private StateLog log;
    /** Every op made so far, valid or not, delivered or held back: what later ops may name and resend. */
    private List<StateOp> made;

    @FuzzTest(maxDuration = "10s")
    void acceptsExactlyTheValidOps(byte[] input) {
        log = new StateLog(GROUP, OWNER);
        made = new ArrayList<>(List.of(GENESIS, ADD_CO_OWNER, ADD_MEMBER));
        made.forEach(op -> assertEquals(AddResult.Status.ACCEPTED, log.add(op).status()));
        for (int at = 0; at + 4 <= input.length; at += 4) {
            step(at, input[at] & 0xff, input[at + 1] & 0xff, input[at + 2] & 0xff, input[at + 3] & 0xff);
            GroupState state = log.state().orElseThrow();
            assertTrue(state.isEmpty() || state.members().stream().anyMatch(Member::owner), "a group with members has an owner");
        }
        assertSameLogWhenAddedInReverse();
    }

    /**
     * One op arrives.
     *
     * @param who     bits 0-1: the author (owner, co-owner, member, stranger); bit 2: damage its signature;
     *                bit 3: sign it for another group; bit 6: make it but hold it back; bit 7: instead send
     *                again an op made before, the one {@code what} picks
     * @param kind    the change (kinds 1..8 of docs/STATE.md); bit 7: ADD_MEMBER as owner
     * @param what    whom it changes, or which name or port
     * @param parents bits 0-5: name these of the last six ops made; bit 6: name an op nobody has; none of
     *                them: the log's heads
     */
    private void step(int step, int who, int kind, int what, int parents) {
        if ((who & 0x80) != 0) {
            StateOp again = made.get(what % made.size());
            deliver((who & 0x04) != 0 ? damaged(again) : again);
            return;
        }
        TestIdentity author = AUTHORS.get(who & 0x03);
        Change change = change(author, kind, what);
        StateOp op;
        if (change instanceof Change.Create create) {
            op = StateOp.genesis(author, create.name(), address(author.peerId(), create.port()), step, step);
        } else {
            op = StateOp.sign(author, (who & 0x08) != 0 ? OTHER_GROUP : GROUP, parents(step, parents), step, change);
        }
        made.add(op);
        if ((who & 0x40) == 0) {
            deliver((who & 0x04) != 0 ? damaged(op) : op);
        }
    }

    private static Change change(TestIdentity author, int kind, int what) {
        PeerId target = TARGETS.get(what % TARGETS.size());
        return switch (1 + kind % 8) {
            case 1 -> new Change.Create(NAMES.get(what % NAMES.size()), author.peerId().shortText() + ".example", 7400, 0);
            case 2 -> new Change.AddMember(address(target, 7400), (kind & 0x80) != 0);
            case 3 -> new Change.RemoveMember(target);
            case 4 -> new Change.GrantOwner(target);
            case 5 -> new Change.RevokeOwner(target);
            case 6 -> new Change.Rename(NAMES.get(what % NAMES.size()));
            case 7 -> new Change.Leave();
            default -> new Change.UpdateAddress(author.peerId().shortText() + ".example", 7400 + what % 2);
        };
    }

    private Set<OpHash> parents(int step, int choice) {
        Set<OpHash> chosen = new TreeSet<>();
        for (int bit = 0; bit < 6; bit++) {
            if ((choice & (1 << bit)) != 0 && made.size() > bit) {
                chosen.add(made.get(made.size() - 1 - bit).hash());
            }
        }
        if ((choice & 0x40) != 0) {
            chosen.add(OpHash.sha256(new byte[] {(byte) step, (byte) (step >>> 8)}));
        }
        return chosen.isEmpty() ? log.heads() : chosen;
    }

    /** The same op with one bit of its signature flipped: its hash does not cover the signature. */
    private static StateOp damaged(StateOp op) {
        byte[] encoded = op.encode();
        encoded[encoded.length - 1] ^= 1;
        try {
            return StateOp.decode(encoded);
        } catch (InvalidOpException e) {
            throw new AssertionError("a valid op with another signature still decodes", e);
        }
    }

    private void deliver(StateOp op) {
        boolean inLog = log.contains(op.hash());
        int sizeBefore = log.size();
        boolean signatureOk = op.hasValidSignature(OWNER);
        boolean parentsHere = op.parents().stream().allMatch(log::contains);
        AddResult result = log.add(op);

        if (inLog) {
            assertEquals(AddResult.Status.DUPLICATE, result.status(), "an op in the log, whatever its signature");
            assertEquals(sizeBefore, log.size());
            return;
        }
        if (!signatureOk || !op.groupId().equals(GROUP)) {
            assertNotEquals(AddResult.Status.ACCEPTED, result.status(), "forged or foreign: " + op);
            assertEquals(sizeBefore, log.size());
            return;
        }
        if (result.status() == AddResult.Status.MISSING_PARENTS) {
            assertTrue(!parentsHere, "held although its parents are here: " + op);
        }
        if (result.status() == AddResult.Status.REJECTED && parentsHere && !(op.change() instanceof Change.Create)) {
            assertTrue(!isValid(op), "a valid op rejected: " + op + ": " + result.reason());
        }
        for (StateOp accepted : result.accepted()) {
            assertTrue(isValid(accepted), "an invalid op accepted: " + accepted);
        }
        for (AddResult.Rejection rejection : result.rejected()) {
            StateOp dropped = rejection.op();
            if (dropped.parents().stream().allMatch(log::contains)) {
                assertTrue(!isValid(dropped), "a valid held op given up: " + dropped + ": " + rejection.reason());
            }
        }
        assertEquals(sizeBefore + result.accepted().size(), log.size());
    }

    /** docs/STATE.md, "Validity", rules 5 and 6, read independently of the log's own checks. */
    private boolean isValid(StateOp op) {
        Change change = op.change();
        if (change instanceof Change.Create) {
            return false; // the log has its CREATE already
        }
        GroupState past = log.stateAt(op.parents()).orElseThrow();
        Optional<Member> author = past.member(op.author());
        if (past.isEmpty() || author.isEmpty()) {
            return false;
        }
        boolean ownersOnly = !(change instanceof Change.Leave || change instanceof Change.UpdateAddress);
        if (ownersOnly && !author.get().owner()) {
            return false;
        }
        if (change instanceof Change.AddMember c) {
            return !past.isMember(c.address().peerId()) && past.members().size() < StateLog.MAX_MEMBERS;
        } else if (change instanceof Change.RemoveMember c) {
            return past.isMember(c.peer());
        } else if (change instanceof Change.GrantOwner c) {
            return past.isMember(c.peer()) && !past.isOwner(c.peer());
        } else if (change instanceof Change.RevokeOwner c) {
            return past.isOwner(c.peer());
        } else if (change instanceof Change.Rename c) {
            return !c.name().equals(past.name());
        } else if (change instanceof Change.UpdateAddress c) {
            PeerAddress now = author.get().address();
            return !(now.host().equals(c.host()) && now.port() == c.port());
        }
        return true; // LEAVE by a member
    }

    private void assertSameLogWhenAddedInReverse() {
        List<StateOp> ops = new ArrayList<>(log.ops());
        Collections.reverse(ops);
        StateLog replica = new StateLog(GROUP, OWNER);
        ops.forEach(replica::add);
        assertEquals(log.heads(), replica.heads());
        assertEquals(log.ops(), replica.ops());
        assertEquals(log.state(), replica.state());
    }
}
