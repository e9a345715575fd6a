package org.ringchat.state.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringchat.state.log.AddResult.Status.ACCEPTED;
import static org.ringchat.state.log.AddResult.Status.DUPLICATE;
import static org.ringchat.state.log.AddResult.Status.MISSING_PARENTS;
import static org.ringchat.state.log.AddResult.Status.REJECTED;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.Member;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;

class StateLogTest {

    private final TestIdentity alice = new TestIdentity(new Random(11));
    private final TestIdentity bob = new TestIdentity(new Random(12));
    private final TestIdentity carol = new TestIdentity(new Random(13));
    private final TestIdentity dave = new TestIdentity(new Random(14));
    private long clock = 1_700_000_000_000L;

    private final StateOp genesis = StateOp.genesis(alice, "friends", address(alice), clock, 1);
    private final GroupId group = genesis.groupId();

    private static PeerAddress address(TestIdentity id) {
        return new PeerAddress(id.peerId(), id.peerId().shortText() + ".example", 7400);
    }

    /** A replica holding the genesis. */
    private StateLog replica() {
        StateLog log = new StateLog(group, alice);
        assertEquals(ACCEPTED, log.add(genesis).status());
        return log;
    }

    private StateOp sign(TestIdentity author, Collection<OpHash> parents, Change change) {
        return StateOp.sign(author, group, parents, ++clock, change);
    }

    /** Signs a change on top of what the replica holds and adds it there, where it must be valid. */
    private StateOp act(StateLog replica, TestIdentity author, Change change) {
        StateOp op = sign(author, replica.heads(), change);
        AddResult result = replica.add(op);
        assertEquals(ACCEPTED, result.status(), result.reason());
        return op;
    }

    private AddResult attempt(StateLog replica, TestIdentity author, Change change) {
        return replica.add(sign(author, replica.heads(), change));
    }

    /** Ops the receiver has already come back as duplicates when it has heads the sender does not know. */
    private static void sync(StateLog from, StateLog to) {
        for (StateOp op : from.since(to.heads())) {
            AddResult result = to.add(op);
            assertTrue(result.status() == ACCEPTED || result.status() == DUPLICATE, result.reason());
        }
    }

    private static GroupState state(StateLog log) {
        return log.state().orElseThrow();
    }

    private static Change add(TestIdentity id, boolean owner) {
        return new Change.AddMember(address(id), owner);
    }

    /** Both replicas get each other's ops; they must end alike. */
    private static void merge(StateLog a, StateLog b) {
        sync(a, b);
        sync(b, a);
        assertEquals(a.state(), b.state());
        assertEquals(a.heads(), b.heads());
        assertEquals(a.ops(), b.ops());
    }

    @Test
    void aStateIncludesTheStatesInItsPastOnly() {
        StateLog a = replica();
        act(a, alice, add(bob, true));
        List<OpHash> common = List.copyOf(a.heads());
        StateLog b = replica();
        sync(a, b);
        act(a, alice, new Change.Rename("by alice"));
        act(b, bob, new Change.Rename("by bob"));
        List<OpHash> alices = List.copyOf(a.heads());
        List<OpHash> bobs = List.copyOf(b.heads());
        merge(a, b);

        assertTrue(a.includes(alices, common));
        assertTrue(a.includes(alices, alices));
        assertFalse(a.includes(common, alices));
        assertFalse(a.includes(alices, bobs), "concurrent states include neither the other");
        assertTrue(a.includes(List.copyOf(a.heads()), bobs));
        assertFalse(a.includes(List.of(OpHash.fromBytes(new byte[OpHash.LENGTH])), common), "an unknown head");
    }

    @Test
    void theCreatorIsTheFirstMemberAndOwner() {
        StateLog log = new StateLog(group, alice);
        assertTrue(log.state().isEmpty(), "no state before the CREATE op");
        assertEquals(ACCEPTED, log.add(genesis).status());
        assertEquals(DUPLICATE, log.add(genesis).status());

        GroupState state = state(log);
        assertEquals(new GroupState(group, "friends", List.of(new Member(address(alice), true)), 1), state);
        assertEquals(new GroupInfo(group, "friends", List.of(new Member(address(alice), true)), 1), state.toGroupInfo());
        assertEquals(Set.of(genesis.hash()), log.heads());
        assertEquals(List.of(genesis), log.ops());
    }

    @Test
    void aForgedSignatureIsRejectedAndDoesNotPoisonTheGenuineOp() throws InvalidOpException {
        StateLog log = replica();
        StateOp genuine = sign(alice, log.heads(), add(bob, false));
        byte[] bytes = genuine.encode();
        bytes[bytes.length - 1] ^= 1;
        StateOp forged = StateOp.decode(bytes);

        AddResult result = log.add(forged);
        assertEquals(REJECTED, result.status());
        assertTrue(result.reason().contains("bad signature"), result.reason());
        assertEquals(ACCEPTED, log.add(genuine).status(), "the same op, properly signed");
        assertEquals(DUPLICATE, log.add(forged).status(), "the hash names the signed bytes, not the signature");
        assertTrue(state(log).isMember(bob.peerId()));
    }

    @Test
    void opsOfAnotherGroupAreRejected() {
        StateLog log = replica();
        StateOp otherGenesis = StateOp.genesis(alice, "friends", address(alice), clock, 2);
        assertNotEquals(group, otherGenesis.groupId());

        AddResult result = log.add(otherGenesis);
        assertEquals(REJECTED, result.status());
        assertTrue(result.reason().startsWith("CREATE of group " + otherGenesis.groupId() + ", not of " + group), result.reason());
        StateOp foreign = StateOp.sign(alice, otherGenesis.groupId(), List.of(otherGenesis.hash()), clock, new Change.Rename("x"));
        assertEquals(REJECTED, log.add(foreign).status());
        assertEquals(1, log.size());
    }

    @Test
    void changesByNonOwnersAndNonMembersAreRejected() {
        StateLog log = replica();
        act(log, alice, add(bob, false));

        assertRejected(attempt(log, bob, add(carol, false)), "ADD_MEMBER by " + bob + ", who is not an owner");
        assertRejected(attempt(log, bob, new Change.Rename("mine")), "RENAME by " + bob + ", who is not an owner");
        assertRejected(attempt(log, bob, new Change.RevokeOwner(alice.peerId())), "who is not an owner");
        assertRejected(attempt(log, carol, new Change.Leave()), "LEAVE by " + carol + ", who is not a member");
        assertRejected(attempt(log, carol, new Change.UpdateAddress("evil", 1)), "who is not a member");
        act(log, bob, new Change.UpdateAddress("bob.example", 7500));
        act(log, bob, new Change.Leave());
        assertEquals(List.of(alice.peerId()), state(log).members().stream().map(Member::peerId).toList());
    }

    @Test
    void changesThatChangeNothingAreRejected() {
        StateLog log = replica();
        act(log, alice, add(bob, false));

        assertRejected(attempt(log, alice, add(bob, true)), bob + " is a member already");
        assertRejected(attempt(log, alice, new Change.RemoveMember(carol.peerId())), carol + " is not a member");
        assertRejected(attempt(log, alice, new Change.GrantOwner(alice.peerId())), alice + " is an owner already");
        assertRejected(attempt(log, alice, new Change.GrantOwner(carol.peerId())), carol + " is not a member");
        assertRejected(attempt(log, alice, new Change.RevokeOwner(bob.peerId())), bob + " is not an owner");
        assertRejected(attempt(log, alice, new Change.Rename("friends")), "the group has that name already");
        assertRejected(attempt(log, alice, new Change.UpdateAddress(address(alice).host(), 7400)), "that address already");
    }

    @Test
    void membersAnnounceTheirOwnNewAddress() {
        StateLog log = replica();
        act(log, alice, add(bob, true));
        act(log, bob, new Change.UpdateAddress("192.0.2.7", 9000));
        assertEquals(new Member(new PeerAddress(bob.peerId(), "192.0.2.7", 9000), true),
                state(log).member(bob.peerId()).orElseThrow());
    }

    @Test
    void aRevokedOwnersConcurrentChangeHasNoEffect() {
        StateLog a = replica();
        act(a, alice, add(bob, true));
        StateLog b = replica();
        sync(a, b);

        act(a, alice, new Change.RevokeOwner(bob.peerId()));
        act(b, bob, add(carol, false));
        assertTrue(state(b).isMember(carol.peerId()), "bob's replica applies its own change at first");

        merge(a, b);
        GroupState merged = state(a);
        assertFalse(merged.isMember(carol.peerId()), "the revocation wins over bob's concurrent change");
        assertFalse(merged.isOwner(bob.peerId()));
        assertTrue(merged.isMember(bob.peerId()));
        assertEquals(4, merged.version(), "the op without effect still counts");
        assertEquals(4, a.size());
    }

    @Test
    void aRevokedOwnerCannotActByNamingOldParents() {
        StateLog log = replica();
        StateOp addBob = act(log, alice, add(bob, true));
        act(log, alice, new Change.RevokeOwner(bob.peerId()));

        assertRejected(attempt(log, bob, add(carol, true)), "who is not an owner");
        // Naming parents from before the revocation makes the op valid where it claims to stand, and useless.
        List<OpHash> before = List.of(addBob.hash());
        assertEquals(ACCEPTED, log.add(sign(bob, before, add(carol, true))).status());
        assertEquals(ACCEPTED, log.add(sign(bob, before, new Change.RevokeOwner(alice.peerId()))).status());
        assertEquals(ACCEPTED, log.add(sign(bob, before, new Change.Rename("bob's"))).status());

        GroupState state = state(log);
        assertEquals("friends", state.name());
        assertTrue(state.isOwner(alice.peerId()));
        assertFalse(state.isOwner(bob.peerId()));
        assertFalse(state.isMember(carol.peerId()));
        assertEquals(6, state.version());
    }

    @Test
    void aRemovedMembersConcurrentChangesHaveNoEffect() {
        StateLog a = replica();
        act(a, alice, add(bob, true));
        StateLog b = replica();
        sync(a, b);

        act(a, alice, new Change.RemoveMember(bob.peerId()));
        act(b, bob, new Change.UpdateAddress("192.0.2.1", 1));
        act(b, bob, add(carol, true));
        act(b, bob, new Change.Rename("b"));
        StateLog c = replica();
        sync(b, c);
        act(c, carol, add(dave, false)); // carol's change stands on bob's, and falls with it

        merge(a, c);
        merge(a, b);
        GroupState merged = state(a);
        assertEquals(List.of(alice.peerId()), merged.members().stream().map(Member::peerId).toList());
        assertEquals("friends", merged.name());
    }

    @Test
    void ownersRevokingEachOtherConcurrentlyLeaveTheOneWhoJoinedFirst() {
        StateLog a = replica();
        act(a, alice, add(bob, true));
        act(a, alice, add(carol, true));
        StateLog b = replica();
        sync(a, b);
        StateLog c = replica();
        sync(a, c);

        act(b, bob, new Change.RevokeOwner(carol.peerId()));
        act(c, carol, new Change.RevokeOwner(bob.peerId()));
        act(c, carol, new Change.Rename("carol's"));
        merge(b, c);
        GroupState merged = state(b);
        assertTrue(merged.isOwner(bob.peerId()), "bob joined before carol");
        assertFalse(merged.isOwner(carol.peerId()));
        assertEquals("friends", merged.name());

        StateLog d = replica();
        sync(a, d);
        act(d, carol, new Change.RemoveMember(bob.peerId()));
        StateLog e = replica();
        sync(a, e);
        act(e, bob, new Change.RemoveMember(carol.peerId()));
        merge(d, e);
        assertEquals(List.of(alice.peerId(), bob.peerId()), state(d).members().stream().map(Member::peerId).toList());
    }

    @Test
    void aRemovalWinsOverAConcurrentAdditionOfThePeerAndConcurrentAdditionsFollowTheOrder() {
        StateLog a = replica();
        act(a, alice, add(bob, true));
        act(a, alice, add(dave, true));
        act(a, alice, add(carol, false));
        StateLog b = replica();
        sync(a, b);
        StateLog d = replica();
        sync(a, d);

        StateOp removedByAlice = act(a, alice, new Change.RemoveMember(carol.peerId()));
        sync(a, b);
        StateOp readdedByBob = act(b, bob, new Change.AddMember(new PeerAddress(carol.peerId(), "new.example", 1), false));
        StateOp removedByDave = act(d, dave, new Change.RemoveMember(carol.peerId()));
        merge(a, b);
        merge(a, d);
        merge(b, d);

        List<StateOp> order = a.ops();
        assertTrue(order.indexOf(removedByAlice) < order.indexOf(readdedByBob), "bob knew of alice's removal");
        assertTrue(order.indexOf(readdedByBob) < order.indexOf(removedByDave), "the removal waits for the addition");
        assertFalse(state(a).isMember(carol.peerId()), "and wins");

        // Two owners adding one peer at once: the first addition in the order sets its address.
        StateLog x = replica();
        StateLog y = replica();
        sync(a, x);
        sync(a, y);
        StateOp fromX = act(x, alice, new Change.AddMember(new PeerAddress(PeerId.fromBytes(new byte[32]), "x.example", 1), false));
        StateOp fromY = act(y, bob, new Change.AddMember(new PeerAddress(PeerId.fromBytes(new byte[32]), "y.example", 1), false));
        merge(x, y);
        String expectedHost = x.ops().indexOf(fromX) < x.ops().indexOf(fromY) ? "x.example" : "y.example";
        assertEquals(expectedHost, state(x).member(PeerId.fromBytes(new byte[32])).orElseThrow().address().host());
    }

    @Test
    void whenTheLastOwnerLeavesTheLongestStandingMemberTakesOver() {
        StateLog log = replica();
        act(log, alice, add(bob, false));
        act(log, alice, add(carol, false));
        act(log, alice, new Change.Leave());
        assertEquals(List.of(new Member(address(bob), true), new Member(address(carol), false)), state(log).members());

        act(log, bob, new Change.RemoveMember(bob.peerId()));
        assertEquals(List.of(new Member(address(carol), true)), state(log).members());

        act(log, carol, new Change.Leave());
        GroupState ended = state(log);
        assertTrue(ended.isEmpty());
        assertEquals("friends", ended.name());
        assertRejected(attempt(log, carol, new Change.Leave()), "the group has ended, every member left");
        assertRejected(attempt(log, alice, new Change.Rename("again")), "the group has ended");
    }

    @Test
    void whenTheOwnersLeaveConcurrentlyTheLongestStandingMemberTakesOver() {
        StateLog a = replica();
        act(a, alice, add(carol, false));
        act(a, alice, add(bob, true));
        act(a, alice, add(dave, false));
        StateLog b = replica();
        sync(a, b);

        act(a, alice, new Change.Leave());
        act(b, bob, new Change.Leave());
        merge(a, b);
        assertEquals(List.of(new Member(address(carol), true), new Member(address(dave), false)), state(a).members());
    }

    @Test
    void theLastOwnerRevokingItselfStaysOwnerWhenItJoinedFirst() {
        StateLog log = replica();
        act(log, alice, add(bob, false));
        act(log, alice, new Change.RevokeOwner(alice.peerId()));
        assertTrue(state(log).isOwner(alice.peerId()), "a group always has an owner while it has members");
        assertFalse(state(log).isOwner(bob.peerId()));
    }

    @Test
    void anOfflineOwnerDoesNotHoldUpTheOthers() {
        StateLog a = replica();
        act(a, alice, add(bob, true));
        StateLog b = replica();
        sync(a, b);
        // From here on alice is offline: her replica gets nothing.
        act(b, bob, add(carol, false));
        act(b, bob, new Change.Rename("bob's friends"));
        StateLog c = replica();
        sync(b, c);
        act(c, carol, new Change.UpdateAddress("192.0.2.3", 7000));
        sync(c, b);
        assertEquals("bob's friends", state(b).name());
        assertEquals(List.of(alice.peerId(), bob.peerId(), carol.peerId()),
                state(b).members().stream().map(Member::peerId).toList());

        merge(a, b);
        assertEquals(state(b), state(a));
    }

    @Test
    void opsWithMissingParentsAreHeldUntilTheyArrive() {
        StateLog source = replica();
        act(source, alice, add(bob, true));
        act(source, bob, new Change.Rename("two"));
        act(source, alice, add(carol, false));
        List<StateOp> reversed = new ArrayList<>(source.ops());
        Collections.reverse(reversed);

        StateLog log = new StateLog(group, alice);
        for (StateOp op : reversed.subList(0, reversed.size() - 1)) {
            AddResult result = log.add(op);
            assertEquals(MISSING_PARENTS, result.status());
            assertTrue(result.reason().contains("waits for 1 parent(s)"), result.reason());
        }
        assertEquals(MISSING_PARENTS, log.add(reversed.get(0)).status(), "held already: still waiting");
        assertEquals(Set.of(genesis.hash()), log.missingParents());
        assertEquals(3, log.heldCount());
        assertTrue(log.state().isEmpty());

        AddResult result = log.add(genesis);
        assertEquals(ACCEPTED, result.status());
        assertEquals(source.ops(), result.accepted(), "the genesis and every op it released, in order");
        assertEquals(0, log.heldCount());
        assertEquals(Set.of(), log.missingParents());
        assertEquals(source.state(), log.state());
    }

    @Test
    void heldDescendantsOfARejectedOpAreGivenUp() {
        StateLog log = replica();
        StateOp invalid = sign(carol, List.of(genesis.hash()), new Change.Rename("carol's"));
        StateOp child = sign(carol, List.of(invalid.hash()), new Change.Rename("still carol's"));
        StateOp grandchild = sign(alice, List.of(child.hash()), new Change.Rename("alice's"));
        assertEquals(MISSING_PARENTS, log.add(grandchild).status());
        assertEquals(MISSING_PARENTS, log.add(child).status());

        AddResult result = log.add(invalid);
        assertRejected(result, "RENAME by " + carol + ", who is not a member");
        assertEquals(List.of(child, grandchild), result.rejected().stream().map(AddResult.Rejection::op).toList());
        assertTrue(result.rejected().get(0).reason().contains("its parent " + invalid.hash().shortText() + " was rejected"));
        assertEquals(0, log.heldCount());
        assertEquals(Set.of(), log.missingParents());
    }

    @Test
    void aHeldOpThatTurnsOutInvalidIsGivenUpWhenReleased() {
        StateLog log = replica();
        StateOp invalid = sign(carol, List.of(genesis.hash()), new Change.Rename("carol's"));
        StateLog other = new StateLog(group, alice);
        assertEquals(MISSING_PARENTS, other.add(invalid).status());
        AddResult result = other.add(genesis);
        assertEquals(List.of(genesis), result.accepted());
        assertEquals(List.of(invalid), result.rejected().stream().map(AddResult.Rejection::op).toList());
        assertTrue(result.rejected().get(0).reason().contains("who is not a member"));
        assertEquals(log.state(), other.state());
    }

    @Test
    void aBadlySignedCopyOfAMissingParentDoesNotDropItsChildren() throws InvalidOpException {
        StateLog source = replica();
        StateOp parent = act(source, alice, add(bob, true));
        StateOp child = act(source, bob, new Change.Rename("b"));
        StateLog log = replica();
        assertEquals(MISSING_PARENTS, log.add(child).status());

        byte[] bytes = parent.encode();
        bytes[bytes.length - 1] ^= 1;
        AddResult forged = log.add(StateOp.decode(bytes));
        assertEquals(REJECTED, forged.status());
        assertEquals(List.of(), forged.rejected());
        assertEquals(1, log.heldCount());
        assertEquals(List.of(parent, child), log.add(parent).accepted());
    }

    @Test
    void theNumberOfHeldOpsIsBounded() {
        StateLog log = new StateLog(group, alice, 2);
        for (int i = 0; i < 2; i++) {
            assertEquals(MISSING_PARENTS, log.add(sign(alice, List.of(genesis.hash()), new Change.Rename("n" + i))).status());
        }
        assertRejected(log.add(sign(alice, List.of(genesis.hash()), new Change.Rename("n2"))), "2 ops wait for their parents already");
        assertEquals(2, log.heldCount());
    }

    @Test
    void sinceGivesWhatIsNotInThePastOfTheGivenOps() {
        StateLog a = replica();
        StateOp addBob = act(a, alice, add(bob, true));
        StateLog b = replica();
        sync(a, b);
        StateOp rename = act(a, alice, new Change.Rename("a"));
        StateOp addCarol = act(b, bob, add(carol, false));

        assertEquals(List.of(rename), a.since(List.of(addBob.hash())));
        assertEquals(List.of(), a.since(a.heads()));
        assertEquals(a.ops(), a.since(List.of()));
        assertEquals(a.ops(), a.since(b.heads()), "heads this log does not know are ignored");
        assertEquals(List.of(rename), a.since(List.of(addCarol.hash(), addBob.hash())),
                "older ops a peer lists besides its heads narrow the answer down");
        merge(a, b);
        assertEquals(Set.of(rename.hash(), addCarol.hash()), a.heads());
        assertTrue(a.contains(addCarol.hash()));
        assertEquals(addCarol, a.get(addCarol.hash()).orElseThrow());
    }

    @Test
    void aLogIsRebuiltFromStoredOpsInAnyOrder() throws InvalidOpException {
        StateLog a = replica();
        act(a, alice, add(bob, true));
        StateLog b = replica();
        sync(a, b);
        act(a, alice, new Change.RevokeOwner(bob.peerId()));
        act(b, bob, add(carol, true));
        act(b, carol, new Change.Rename("c"));
        act(a, alice, add(dave, false));
        merge(a, b);
        act(a, dave, new Change.Leave());

        List<byte[]> stored = new ArrayList<>(a.ops().stream().map(StateOp::encode).toList());
        for (long seed = 0; seed < 5; seed++) {
            Collections.shuffle(stored, new Random(seed));
            StateLog rebuilt = new StateLog(group, alice);
            for (byte[] bytes : stored) {
                rebuilt.add(StateOp.decode(bytes));
            }
            assertEquals(a.state(), rebuilt.state());
            assertEquals(a.heads(), rebuilt.heads());
            assertEquals(a.ops(), rebuilt.ops());
        }
    }

    @Test
    void aGroupHasAtMost1024Members() {
        StateLog log = replica();
        Random random = new Random(5);
        for (int i = 1; i < StateLog.MAX_MEMBERS; i++) {
            byte[] id = new byte[32];
            random.nextBytes(id);
            act(log, alice, new Change.AddMember(new PeerAddress(PeerId.fromBytes(id), "10.0.0.1", 7400), false));
        }
        assertEquals(StateLog.MAX_MEMBERS, state(log).members().size());
        assertRejected(attempt(log, alice, add(bob, false)), "the group has 1024 members, the most allowed");
    }

    private static void assertRejected(AddResult result, String reasonPart) {
        assertEquals(REJECTED, result.status(), result.reason());
        assertTrue(result.reason().contains(reasonPart), "'" + result.reason() + "' should say '" + reasonPart + "'");
        assertFalse(result.reason().contains("\n"));
    }

    @Test
    void theStateAtEarlierHeadsIsTheFoldOfTheirPast() {
        StateLog log = replica();
        StateOp addBob = act(log, alice, add(bob, false));
        StateOp removeBob = act(log, alice, new Change.RemoveMember(bob.peerId()));
        assertTrue(log.stateAt(List.of(addBob.hash())).orElseThrow().isMember(bob.peerId()), "bob was a member then");
        assertFalse(log.stateAt(List.of(removeBob.hash())).orElseThrow().isMember(bob.peerId()));
        assertEquals(log.state(), log.stateAt(log.heads()));
        assertEquals(java.util.Optional.empty(), log.stateAt(List.of(sign(carol, log.heads(), add(dave, false)).hash())),
                "a head the log lacks");
        assertEquals(java.util.Optional.empty(), log.stateAt(List.of()));
    }
}
