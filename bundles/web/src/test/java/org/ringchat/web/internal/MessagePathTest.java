package org.ringchat.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ringchat.api.PeerId;
import org.ringchat.spi.HandOff;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;
import org.ringchat.spi.testing.Broadcast;
import org.ringchat.spi.testing.Members;
import org.ringchat.topology.ring.internal.RingTopology;
import org.ringchat.topology.tree.internal.TreeTopology;

/** The replayed path against the real topologies, checked against the topology tests' broadcast simulator. */
class MessagePathTest {

    static Stream<Arguments> topologiesAndSizes() {
        return Stream.of(new RingTopology(), new TreeTopology())
                .flatMap(t -> Members.sizes().filter(n -> n <= 1024).mapToObj(n -> Arguments.of(t, n)));
    }

    static Stream<Arguments> topologiesAndCrashes() {
        return Stream.of(new RingTopology(), new TreeTopology())
                .flatMap(t -> Members.crashes().filter(a -> (int) a.get()[0] <= 100)
                        .map(a -> Arguments.of(t, a.get()[0], a.get()[1])));
    }

    @ParameterizedTest(name = "{0} of {1}")
    @MethodSource("topologiesAndSizes")
    void aHealthyGroupIsReachedOnceEachAtTheSimulatorsHops(Topology topology, int n) {
        Ring ring = Members.ring(n);
        for (int position : Members.authorPositions(n, new Random(n))) {
            PeerId author = ring.at(position);
            MessagePath.Plan plan = MessagePath.plan(ring, topology, author, Set.of());
            Broadcast.Result simulated = Broadcast.run(topology, ring, author, Set.of());
            assertEquals(n - 1, plan.steps().size(), "one hand-off per member but the author");
            assertEquals(new HashSet<>(ring.members()), plan.reached());
            assertEquals(author, plan.reached().iterator().next(), "the author comes first");
            assertEquals(Set.of(), plan.unreached());
            for (MessagePath.Step step : plan.steps()) {
                assertEquals(MessagePath.Kind.FORWARD, step.kind());
                assertFalse(step.targetDown());
                assertEquals(simulated.depths()[ring.positionOf(step.to())], step.hop(), "hops to " + step.to().shortText());
                assertTrue(topology.links(ring, step.from()).contains(step.to()), "a hand-off goes over a link");
            }
        }
    }

    @ParameterizedTest(name = "{0} of {1}, {2} down")
    @MethodSource("topologiesAndCrashes")
    void membersThatAreDownAreRoutedRound(Topology topology, int n, double share) {
        Ring ring = Members.ring(n);
        Random random = new Random(n * 31L + (long) (share * 100));
        for (int position : Members.authorPositions(n, random)) {
            PeerId author = ring.at(position);
            Set<PeerId> down = Members.crashed(ring, author, share, random);
            MessagePath.Plan plan = MessagePath.plan(ring, topology, author, down);
            Broadcast.Result simulated = Broadcast.run(topology, ring, author, down);

            Set<PeerId> alive = new HashSet<>(ring.members());
            alive.removeAll(down);
            assertEquals(alive, plan.reached(), "every member that is up gets it");
            assertEquals(Set.of(), plan.unreached());
            Set<PeerId> receivers = new HashSet<>();
            for (MessagePath.Step step : plan.steps()) {
                assertEquals(down.contains(step.to()), step.targetDown());
                assertFalse(down.contains(step.from()), "a member that is down hands nothing on");
                if (!step.targetDown()) {
                    assertTrue(receivers.add(step.to()), "received once: " + step.to().shortText());
                    assertEquals(simulated.depths()[ring.positionOf(step.to())], step.hop());
                }
            }
        }
    }

    @Test
    void theRingReroutesToTheNextMemberOfTheRange() {
        Ring ring = Members.ring(8);
        PeerId author = ring.at(0);
        MessagePath.Plan plan = MessagePath.plan(ring, new RingTopology(), author, Set.of(ring.at(4)));
        // the author covers 1, 2-3 and 4-7; 4 is down, so 5 takes 5-7 over from the author
        assertTrue(plan.steps().contains(new MessagePath.Step(author, ring.at(4), author, MessagePath.Kind.FORWARD, 1, true)),
                plan.steps().toString());
        assertTrue(plan.steps().contains(new MessagePath.Step(author, ring.at(5), author, MessagePath.Kind.REROUTE, 1, false)),
                plan.steps().toString());
        assertEquals(7, plan.reached().size());
    }

    @Test
    void anAuthorThatLeftHasNoPath() {
        Ring ring = Members.ring(5);
        MessagePath.Plan plan = MessagePath.plan(ring, new RingTopology(), Members.peer(99), Set.of());
        assertEquals(List.of(), plan.steps());
        assertEquals(Set.of(), plan.reached());
        assertEquals(new HashSet<>(ring.members()), plan.unreached());
    }

    @Test
    void aTopologyThatNeverStopsIsCutOff() {
        Ring ring = Members.ring(6);
        // hands to everyone, each time, and reroutes a dead target to itself forever
        Topology flooding = new Topology() {
            @Override
            public String name() {
                return "flood";
            }

            @Override
            public Set<PeerId> links(Ring r, PeerId self) {
                return Set.copyOf(r.members());
            }

            @Override
            public List<HandOff> forward(Ring r, PeerId self, PeerId route) {
                return r.members().stream().map(p -> new HandOff(p, self)).toList();
            }

            @Override
            public List<HandOff> reroute(Ring r, PeerId self, HandOff failed) {
                return List.of(failed, failed);
            }
        };
        MessagePath.Plan plan = MessagePath.plan(ring, flooding, ring.at(0), Set.of(ring.at(3)));
        assertEquals(5, plan.reached().size());
        assertTrue(plan.steps().size() <= 64 * 6, "bounded: " + plan.steps().size());
    }
}
