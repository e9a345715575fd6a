package org.ringchat.state.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.ringchat.api.GroupId;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;

/**
 * The concurrent owner changes of docs/STATE.md, "Concurrent changes", each across many seeds: fresh keys
 * (so fresh hashes, which order concurrent ops), the ops delivered to every replica in a shuffled order,
 * with duplicates. Every replica must end in the same state, and that state must be the one the rule names.
 */
class ConcurrentOwnerChangesTest {

    private static final int SEEDS = 100;

    /** A group of owners {@code senior} and {@code junior} (joined in that order) and a member {@code member}. */
    private static final class Group {
        final Random random;
        final TestIdentity creator;
        final TestIdentity senior;
        final TestIdentity junior;
        final TestIdentity member;
        final TestIdentity newcomer;
        final GroupId id;
        final StateLog base;
        final List<StateOp> concurrent = new ArrayList<>();
        long clock = 1_700_000_000_000L;

        Group(long seed) {
            random = new Random(seed);
            creator = new TestIdentity(random);
            senior = new TestIdentity(random);
            junior = new TestIdentity(random);
            member = new TestIdentity(random);
            newcomer = new TestIdentity(random);
            StateOp genesis = StateOp.genesis(creator, "g", address(creator), clock, random.nextLong());
            id = genesis.groupId();
            base = new StateLog(id, creator);
            base.add(genesis);
            act(base, creator, new Change.AddMember(address(senior), true));
            act(base, creator, new Change.AddMember(address(junior), true));
            act(base, creator, new Change.AddMember(address(member), false));
        }

        /** A replica that holds what the group held before the concurrent changes. */
        StateLog replica() {
            StateLog log = new StateLog(id, creator);
            base.ops().forEach(log::add);
            return log;
        }

        StateOp act(StateLog log, TestIdentity author, Change change) {
            StateOp op = StateOp.sign(author, id, log.heads(), ++clock, change);
            AddResult result = log.add(op);
            assertEquals(AddResult.Status.ACCEPTED, result.status(), result.reason());
            return op;
        }

        /** A change made on a replica of its own, which has not heard of the other concurrent changes. */
        void concurrently(TestIdentity author, Change... changes) {
            StateLog own = replica();
            for (Change change : changes) {
                concurrent.add(act(own, author, change));
            }
        }

        /** Three replicas get the concurrent ops in shuffled orders, with duplicates: they must agree. */
        GroupState converged() {
            List<StateLog> replicas = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                List<StateOp> feed = new ArrayList<>(concurrent);
                feed.add(concurrent.get(random.nextInt(concurrent.size())));
                Collections.shuffle(feed, random);
                StateLog log = replica();
                for (StateOp op : feed) {
                    assertNotEquals(AddResult.Status.REJECTED, log.add(op).status());
                }
                assertEquals(0, log.heldCount());
                replicas.add(log);
            }
            for (StateLog log : replicas) {
                assertEquals(replicas.get(0).state(), log.state());
                assertEquals(replicas.get(0).ops(), log.ops());
            }
            return replicas.get(0).state().orElseThrow();
        }
    }

    private static void eachSeed(Consumer<Group> scenario) {
        for (long seed = 0; seed < SEEDS; seed++) {
            try {
                scenario.accept(new Group(seed));
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private static PeerAddress address(TestIdentity id) {
        return new PeerAddress(id.peerId(), id.peerId().shortText() + ".example", 7400);
    }

    @Test
    void twoOwnersRemovingEachOtherLeaveTheOneWhoJoinedFirst() {
        eachSeed(g -> {
            g.concurrently(g.senior, new Change.RemoveMember(g.junior.peerId()));
            g.concurrently(g.junior, new Change.RemoveMember(g.senior.peerId()));
            GroupState state = g.converged();
            assertTrue(state.isOwner(g.senior.peerId()));
            assertFalse(state.isMember(g.junior.peerId()));
        });
    }

    @Test
    void membersAddedByAnOwnerConcurrentlyWithItsRemovalGoToo() {
        eachSeed(g -> {
            g.concurrently(g.senior, new Change.RemoveMember(g.junior.peerId()));
            g.concurrently(g.junior, new Change.AddMember(address(g.newcomer), false),
                    new Change.GrantOwner(g.member.peerId()));
            GroupState state = g.converged();
            assertFalse(state.isMember(g.junior.peerId()));
            assertFalse(state.isMember(g.newcomer.peerId()), "added by the removed owner");
            assertFalse(state.isOwner(g.member.peerId()), "promoted by the removed owner");
        });
    }

    @Test
    void aMemberRemovedByOneOwnerWhileAnotherPromotesItIsRemoved() {
        eachSeed(g -> {
            g.concurrently(g.senior, new Change.RemoveMember(g.member.peerId()));
            g.concurrently(g.junior, new Change.GrantOwner(g.member.peerId()));
            GroupState state = g.converged();
            assertFalse(state.isMember(g.member.peerId()));
            assertTrue(state.isOwner(g.junior.peerId()) && state.isOwner(g.senior.peerId()));
        });
    }

    @Test
    void aRemovalWinsOverAConcurrentAdditionOfTheSamePeer() {
        eachSeed(g -> {
            // The junior owner removed the member and added it again; the senior, not knowing, removes it.
            g.concurrently(g.junior, new Change.RemoveMember(g.member.peerId()),
                    new Change.AddMember(address(g.member), false));
            g.concurrently(g.senior, new Change.RemoveMember(g.member.peerId()));
            assertFalse(g.converged().isMember(g.member.peerId()));
        });
    }

    @Test
    void aJuniorOwnerRemovedWhileItRemovesAMemberLeavesThatMemberIn() {
        eachSeed(g -> {
            g.concurrently(g.senior, new Change.RemoveMember(g.junior.peerId()));
            g.concurrently(g.junior, new Change.RemoveMember(g.member.peerId()));
            GroupState state = g.converged();
            assertFalse(state.isMember(g.junior.peerId()));
            assertTrue(state.isMember(g.member.peerId()), "the removed owner's removal has no effect");
            assertEquals(List.of(g.creator.peerId(), g.senior.peerId(), g.member.peerId()),
                    state.members().stream().map(m -> (PeerId) m.peerId()).toList());
        });
    }
}
