package org.ringchat.state.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ringchat.state.log.AddResult.Status.ACCEPTED;
import static org.ringchat.state.log.AddResult.Status.REJECTED;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.ringchat.api.GroupId;
import org.ringchat.api.Member;
import org.ringchat.api.PeerAddress;

/**
 * Several members change the group at once on their own replicas, syncing now and then, partly and out of
 * order; some also name old parents on purpose. Then every op goes to fresh replicas in different orders,
 * with duplicates: all must end with the same state, heads and order, and so must the members once synced.
 *
 * <p>Runs {@value #SEEDS} seeds; {@code -Dconvergence.seed=N} runs seed N alone.
 */
class ConvergenceTest {

    private static final int SEEDS = 200;
    private static final int FRESH_REPLICAS = 3;

    private int totalOps;
    private int totalHeldOnArrival;

    @Test
    void replicasConvergeWhateverTheOrderOfDelivery() {
        Long only = Long.getLong("convergence.seed");
        long first = only == null ? 0 : only;
        long end = only == null ? SEEDS : only + 1;
        for (long seed = first; seed < end; seed++) {
            try {
                new Scenario(seed).run();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("failing seed " + seed + " (rerun with -Dconvergence.seed=" + seed + "): " + e, e);
            }
        }
        System.out.println("convergence: " + (end - first) + " seeds, " + totalOps + " ops, "
                + totalHeldOnArrival + " held for missing parents on arrival");
    }

    private final class Scenario {

        private final Random random;
        private final List<TestIdentity> peers = new ArrayList<>();
        private final List<StateLog> replicas = new ArrayList<>();
        private final TestIdentity verifier;
        private final GroupId group;
        /** Every op accepted by some replica. */
        private final Set<StateOp> all = new LinkedHashSet<>();
        private long clock = 1_700_000_000_000L;

        Scenario(long seed) {
            random = new Random(seed);
            int count = 4 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                peers.add(new TestIdentity(random));
            }
            verifier = new MemoisingIdentity(random);
            TestIdentity creator = peers.get(0);
            StateOp genesis = StateOp.genesis(creator, "g", address(creator, 1), clock, random.nextLong());
            group = genesis.groupId();
            for (int i = 0; i < count; i++) {
                replicas.add(new StateLog(group, verifier));
            }
            assertEquals(ACCEPTED, replicas.get(0).add(genesis).status());
            all.add(genesis);
        }

        void run() {
            // Start with three owners and a member, known to all, so that owners act concurrently.
            honest(0, new Change.AddMember(address(peers.get(1), 1), true));
            honest(0, new Change.AddMember(address(peers.get(2), 1), true));
            honest(0, new Change.AddMember(address(peers.get(3), 1), false));
            for (int i = 1; i < peers.size(); i++) {
                deliver(replicas.get(0).since(replicas.get(i).heads()), replicas.get(i));
            }
            int steps = 60 + random.nextInt(40);
            for (int step = 0; step < steps; step++) {
                if (random.nextInt(10) < 6) {
                    act(random.nextInt(peers.size()));
                } else {
                    partialSync();
                }
            }
            check();
        }

        private void act(int index) {
            StateLog log = replicas.get(index);
            TestIdentity me = peers.get(index);
            GroupState state = log.state().orElse(null);
            if (state == null || !state.isMember(me.peerId())) {
                return;
            }
            Change change = randomChange(state, me);
            if (change == null) {
                return;
            }
            if (random.nextInt(8) == 0) {
                // Naming old parents: valid or not depending on that past, never on this replica's present.
                List<StateOp> known = log.ops();
                Set<OpHash> parents = new HashSet<>();
                for (int n = 1 + random.nextInt(2); n > 0; n--) {
                    parents.add(known.get(random.nextInt(known.size())).hash());
                }
                StateOp op = StateOp.sign(me, group, parents, ++clock, change);
                AddResult result = log.add(op);
                assertNotEquals(AddResult.Status.MISSING_PARENTS, result.status());
                if (result.status() == ACCEPTED) {
                    all.add(op);
                }
            } else {
                honest(index, change);
            }
        }

        /** An op on top of what the replica holds, chosen from its state, so it must be valid. */
        private void honest(int index, Change change) {
            StateOp op = StateOp.sign(peers.get(index), group, replicas.get(index).heads(), ++clock, change);
            AddResult result = replicas.get(index).add(op);
            assertEquals(ACCEPTED, result.status(), result.reason());
            all.add(op);
        }

        private Change randomChange(GroupState state, TestIdentity me) {
            List<Member> members = state.members();
            if (!state.isOwner(me.peerId())) {
                return random.nextInt(8) == 0 ? new Change.Leave() : newAddress(me);
            }
            switch (random.nextInt(9)) {
                case 0, 1 -> {
                    List<TestIdentity> outside = peers.stream().filter(p -> !state.isMember(p.peerId())).toList();
                    return outside.isEmpty() ? null
                            : new Change.AddMember(address(pick(outside), 1 + random.nextInt(3)), random.nextInt(3) == 0);
                }
                case 2 -> {
                    return new Change.RemoveMember(pick(members).peerId());
                }
                case 3 -> {
                    List<Member> plain = members.stream().filter(m -> !m.owner()).toList();
                    return plain.isEmpty() ? null : new Change.GrantOwner(pick(plain).peerId());
                }
                case 4 -> {
                    return new Change.RevokeOwner(pick(members.stream().filter(Member::owner).toList()).peerId());
                }
                case 5 -> {
                    String name = "name" + random.nextInt(4);
                    return name.equals(state.name()) ? null : new Change.Rename(name);
                }
                case 6 -> {
                    return newAddress(me);
                }
                case 7 -> {
                    return random.nextInt(4) == 0 ? new Change.Leave() : newAddress(me);
                }
                default -> {
                    List<TestIdentity> outside = peers.stream().filter(p -> !state.isMember(p.peerId())).toList();
                    return outside.isEmpty() ? new Change.Rename("name" + random.nextInt(4) + state.version())
                            : new Change.AddMember(address(pick(outside), 1), false);
                }
            }
        }

        private Change newAddress(TestIdentity me) {
            return new Change.UpdateAddress(me.peerId().shortText() + ".example", 1000 + random.nextInt(60000));
        }

        /** What one replica lacks from another: all of it, an interrupted prefix, or a shuffled part. */
        private void partialSync() {
            int from = random.nextInt(replicas.size());
            int to = random.nextInt(replicas.size());
            if (from == to) {
                return;
            }
            List<StateOp> ops = new ArrayList<>(replicas.get(from).since(replicas.get(to).heads()));
            switch (random.nextInt(3)) {
                case 0 -> deliver(ops, replicas.get(to));
                case 1 -> deliver(ops.subList(0, random.nextInt(ops.size() + 1)), replicas.get(to));
                default -> {
                    Collections.shuffle(ops, random);
                    deliver(ops.subList(0, random.nextInt(ops.size() + 1)), replicas.get(to));
                }
            }
        }

        /** An op valid on one replica is valid on every one: validity depends on the op's past alone. */
        private void deliver(Collection<StateOp> ops, StateLog to) {
            for (StateOp op : ops) {
                AddResult result = to.add(op);
                assertNotEquals(REJECTED, result.status(), result.reason());
                assertEquals(List.of(), result.rejected());
                if (result.status() == AddResult.Status.MISSING_PARENTS) {
                    totalHeldOnArrival++;
                }
            }
        }

        private void check() {
            List<StateLog> fresh = new ArrayList<>();
            for (int k = 0; k < FRESH_REPLICAS; k++) {
                List<StateOp> feed = new ArrayList<>(all);
                for (int d = all.size() / 4; d > 0; d--) {
                    feed.add(pick(new ArrayList<>(all)));
                }
                Collections.shuffle(feed, random);
                StateLog log = new StateLog(group, verifier);
                deliver(feed, log);
                assertEquals(0, log.heldCount());
                assertEquals(all.size(), log.size());
                fresh.add(log);
            }
            StateLog reference = fresh.get(0);
            for (StateLog log : fresh) {
                assertEquals(reference.state(), log.state());
                assertEquals(reference.heads(), log.heads());
                assertEquals(reference.ops(), log.ops());
            }
            for (StateLog replica : replicas) {
                deliver(reference.since(replica.heads()), replica);
                assertEquals(0, replica.heldCount());
                assertEquals(reference.state(), replica.state());
                assertEquals(reference.heads(), replica.heads());
                assertEquals(reference.ops(), replica.ops());
            }
            checkInvariants(reference);
            totalOps += all.size();
        }

        private void checkInvariants(StateLog log) {
            Set<OpHash> seen = new HashSet<>();
            Set<OpHash> named = new HashSet<>();
            for (StateOp op : log.ops()) {
                assertTrue(seen.containsAll(op.parents()), "parents come first in the order");
                seen.add(op.hash());
                named.addAll(op.parents());
            }
            Set<OpHash> unnamed = new TreeSet<>(seen);
            unnamed.removeAll(named);
            assertEquals(unnamed, log.heads());
            assertEquals(List.of(), log.since(log.heads()));
            GroupState state = log.state().orElseThrow();
            assertEquals(all.size(), state.version());
            assertTrue(state.isEmpty() || state.members().stream().anyMatch(Member::owner), "a group with members has an owner");
        }

        private <T> T pick(List<T> list) {
            return list.get(random.nextInt(list.size()));
        }

        private PeerAddress address(TestIdentity peer, int port) {
            return new PeerAddress(peer.peerId(), peer.peerId().shortText() + ".example", port);
        }
    }

    /**
     * Every replica checks every op's signature; remembering the answers keeps 200 seeds quick. Each
     * distinct op and signature is still verified once.
     */
    private static final class MemoisingIdentity extends TestIdentity {

        private final Map<ByteBuffer, Boolean> verified = new HashMap<>();

        MemoisingIdentity(Random random) {
            super(random);
        }

        @Override
        public boolean verify(byte[] key, byte[] data, byte[] signature) {
            ByteBuffer all = ByteBuffer.allocate(key.length + signature.length + data.length).put(key).put(signature).put(data);
            return verified.computeIfAbsent(all.flip(), k -> super.verify(key, data, signature));
        }
    }
}
