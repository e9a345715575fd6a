package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.ringchat.api.PeerId;

/**
 * SWIM-style probing on virtual time: direct, then indirect, then down; and up again at the first sign of
 * life. The probe timeout follows each link's round trip, and stretches when this node misses its own probes.
 */
class FailureDetectorTest {

    private static final FailureDetector.Settings SETTINGS = FailureDetector.Settings.defaults();
    /** The defaults, but every idle link probed every interval however steady it is. */
    private static final FailureDetector.Settings UNSTRETCHED = new FailureDetector.Settings(SETTINGS.probeIntervalMillis(),
            SETTINGS.probeTimeoutMinMillis(), SETTINGS.probeTimeoutMaxMillis(), SETTINGS.indirectProbes(),
            SETTINGS.maxHealthScore(), SETTINGS.probeIntervalMillis());

    private final VirtualTime time = new VirtualTime();
    private final LoopbackNet net = new LoopbackNet(time);
    private final List<PeerId> peers = new ArrayList<>();
    private final List<FailureDetector> detectors = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private PeerId stranger;

    /** Five peers watching each other, on a loopback network that the test may slow down; node 0's events recorded. */
    private void fivePeersWatchingEachOther(FailureDetector.Settings settings) {
        for (int i = 0; i < 5; i++) {
            peers.add(PeerId.fromBytes(DisseminationTest.sha256("peer " + i)));
        }
        stranger = PeerId.fromBytes(DisseminationTest.sha256("stranger"));
        for (int i = 0; i < peers.size(); i++) {
            PeerId self = peers.get(i);
            FailureDetector detector = new FailureDetector(net.linkFor(self), time, settings, new Random(i), peers::contains);
            detectors.add(detector);
            net.attach(self, (from, type, body) -> {
                detector.heard(from);
                detector.onFrame(from, type, body);
            });
        }
        for (int i = 0; i < peers.size(); i++) {
            PeerId self = peers.get(i);
            detectors.get(i).watch(Set.copyOf(peers.stream().filter(p -> !p.equals(self)).toList()));
            detectors.get(i).start();
        }
        detectors.get(0).addListener(new FailureDetector.Listener() {
            @Override
            public void down(PeerId peer) {
                events.add("down " + peers.indexOf(peer) + " at " + time.nowMillis());
            }

            @Override
            public void up(PeerId peer) {
                events.add("up " + peers.indexOf(peer) + " at " + time.nowMillis());
            }
        });
        time.advance(100);
    }

    @Test
    void aSilentPeerIsDownOnlyAfterTheIndirectProbesFailToo() {
        fivePeersWatchingEachOther(UNSTRETCHED);
        net.crashed.add(peers.get(3));
        long crashedAt = time.nowMillis();
        // nothing heard from it for one interval, then a direct probe, then indirect probes: two timeouts
        time.advance(SETTINGS.probeIntervalMillis() + SETTINGS.probeTimeoutMinMillis());
        assertFalse(detectors.get(0).isDown(peers.get(3)), "the direct probe alone does not decide");
        time.advance(SETTINGS.probeIntervalMillis());
        assertTrue(detectors.get(0).isDown(peers.get(3)));
        assertEquals(1, events.size(), "events: " + events);
        long detectedAfter = firstEventAt() - crashedAt;
        assertTrue(detectedAfter <= SETTINGS.probeIntervalMillis() + 2 * SETTINGS.probeTimeoutMinMillis() + 2 * LoopbackNet.LATENCY_MILLIS,
                "detected after " + detectedAfter + " ms");
        assertTrue(net.sent.get(FrameType.PROBE_REQUEST) >= SETTINGS.indirectProbes(), "indirect probes were asked for");
        assertFalse(detectors.get(0).isDown(peers.get(1)), "the others are up");
    }

    @Test
    void aSteadyIdleLinkIsProbedOnlyEveryLongestInterval() {
        fivePeersWatchingEachOther(SETTINGS);
        time.advance(10 * SETTINGS.probeIntervalMaxMillis());
        int before = net.sent.get(FrameType.PROBE);
        long window = 20 * SETTINGS.probeIntervalMaxMillis();
        time.advance(window);
        int links = 5 * 4;
        // Every interval, less the probe timeout the answer may take, and one more at the window's edge.
        long mostPerLink = window / (SETTINGS.probeIntervalMaxMillis() - SETTINGS.probeTimeoutMinMillis()) + 1;
        int probes = net.sent.get(FrameType.PROBE) - before;
        assertTrue(probes <= links * mostPerLink, probes + " probes on " + links + " idle links in " + window + " ms");
        assertEquals(List.of(), events);
    }

    @Test
    void anIdleSteadyLinkThatCrashesIsDownWithinTheLongestIntervalAndTheProbeTimeouts() {
        long crashedAt = crashAfterTheLinksWereSteady(crashed -> { });
        time.advance(2 * SETTINGS.probeIntervalMaxMillis());
        assertTrue(detectors.get(0).isDown(peers.get(3)), "events: " + events);
        long detectedAfter = firstEventAt() - crashedAt;
        // Heard just before the crash: probed at the first tick once the longest interval less a timeout is
        // over, then the direct and the indirect timeouts.
        long latest = SETTINGS.probeIntervalMaxMillis() + SETTINGS.probeIntervalMillis() + SETTINGS.probeTimeoutMinMillis()
                + 2 * LoopbackNet.LATENCY_MILLIS;
        assertTrue(detectedAfter <= latest, "detected after " + detectedAfter + " ms");
    }

    @Test
    void aSuspectedSteadyLinkIsProbedAtOnceAndDownWithinTheProbeTimeouts() {
        long crashedAt = crashAfterTheLinksWereSteady(crashed -> detectors.get(0).suspect(crashed));
        time.advance(3 * SETTINGS.probeTimeoutMinMillis());
        assertEquals(1, events.size(), "events: " + events);
        long detectedAfter = firstEventAt() - crashedAt;
        assertTrue(detectedAfter <= 2 * SETTINGS.probeTimeoutMinMillis() + 2 * LoopbackNet.LATENCY_MILLIS,
                "detected after " + detectedAfter + " ms");
    }

    /**
     * Five peers whose links answered long enough to be probed at the longest interval; then peer 3 crashes,
     * and {@code then} runs at once with it. Returns when it crashed.
     */
    private long crashAfterTheLinksWereSteady(Consumer<PeerId> then) {
        fivePeersWatchingEachOther(SETTINGS);
        time.advance(10 * SETTINGS.probeIntervalMaxMillis());
        net.crashed.add(peers.get(3));
        then.accept(peers.get(3));
        return time.nowMillis();
    }

    /** When node 0's first event (down or up) happened. */
    private long firstEventAt() {
        String first = events.get(0);
        return Long.parseLong(first.substring(first.lastIndexOf(' ') + 1));
    }

    @Test
    void aPeerThatOnlySomeCanReachIsNotDown() {
        fivePeersWatchingEachOther(SETTINGS);
        // frames between 0 and 3 are lost, the others reach 3: the indirect probes answer for it
        PeerId p0 = peers.get(0);
        PeerId p3 = peers.get(3);
        net.cut = (from, to) -> Set.of(from, to).equals(Set.of(p0, p3));
        time.advance(10 * SETTINGS.probeIntervalMillis());
        assertFalse(detectors.get(0).isDown(p3), "events: " + events);
        assertTrue(net.sent.get(FrameType.PROBE_REQUEST) > 0);
    }

    @Test
    void aDownPeerIsUpAgainAtTheFirstFrameFromIt() {
        fivePeersWatchingEachOther(SETTINGS);
        net.crashed.add(peers.get(2));
        time.advance(5 * SETTINGS.probeIntervalMillis());
        assertTrue(detectors.get(0).isDown(peers.get(2)));

        net.crashed.remove(peers.get(2));
        time.advance(2 * SETTINGS.probeIntervalMillis());
        assertFalse(detectors.get(0).isDown(peers.get(2)), "still probed while down, and answered");
        assertEquals("up 2", events.get(events.size() - 1).substring(0, 4), "events: " + events);
    }

    @Test
    void aPeerThatSaidItGoesOfflineIsDownAtOnce() {
        fivePeersWatchingEachOther(SETTINGS);
        detectors.get(0).wentOffline(peers.get(4));
        assertTrue(detectors.get(0).isDown(peers.get(4)));
        detectors.get(0).heard(peers.get(4));
        assertFalse(detectors.get(0).isDown(peers.get(4)));
    }

    @Test
    void strangersGetNoAnswer() {
        fivePeersWatchingEachOther(SETTINGS);
        List<Integer> answers = new ArrayList<>();
        net.attach(stranger, (from, type, body) -> answers.add(type));
        net.linkFor(stranger).send(peers.get(0), FrameType.PROBE, ProbeFrames.nonce(42), () -> { });
        net.linkFor(stranger).send(peers.get(0), FrameType.PROBE_REQUEST,
                new ProbeFrames.Request(43, peers.get(1)).encode(), () -> { });
        time.advance(SETTINGS.probeIntervalMillis());
        assertEquals(List.of(), answers);
    }

    @Test
    void busyLinksCostNoProbes() {
        fivePeersWatchingEachOther(SETTINGS);
        int before = net.sent.getOrDefault(FrameType.PROBE, 0);
        for (int i = 0; i < 20; i++) {
            for (int d = 0; d < detectors.size(); d++) {
                for (PeerId peer : peers) {
                    detectors.get(d).heard(peer);
                }
            }
            time.advance(SETTINGS.probeIntervalMillis() / 2);
        }
        assertEquals(before, net.sent.getOrDefault(FrameType.PROBE, 0), "traffic counts as a sign of life");
    }

    @Test
    void theProbeTimeoutFollowsEachLinksRoundTripWithinItsBounds() {
        fivePeersWatchingEachOther(SETTINGS);
        PeerId p3 = peers.get(3);
        net.delay = (from, type) -> from.equals(p3) ? 290 : 0;
        time.advance(240_000);

        FailureDetector detector = detectors.get(0);
        assertEquals(300, detector.roundTripMillis(p3), "5 ms there, 5 + 290 ms back");
        long timeout = detector.probeTimeoutMillis(p3);
        assertTrue(timeout > 300 && timeout < SETTINGS.probeTimeoutMaxMillis(), "timeout " + timeout);
        assertEquals(10, detector.roundTripMillis(peers.get(1)));
        assertEquals(SETTINGS.probeTimeoutMinMillis(), detector.probeTimeoutMillis(peers.get(1)), "a fast link gets the least");
        assertEquals(List.of(), events, "the slow member was never taken for down");
    }

    @Test
    void withTheDefaultsMembersAt300MsRoundTripsWithJitterAndLossAreNeverTakenForDown() {
        fivePeersWatchingEachOther(SETTINGS);
        jitteryWan();
        time.advance(600_000);
        assertEquals(List.of(), events);
    }

    /** The same network as above: the detector before it adapted takes live members for down, so the test above can fail. */
    @Test
    void aFixedTimeoutBelowTheRoundTripTakesTheSameMembersForDown() {
        fivePeersWatchingEachOther(FailureDetector.Settings.fixed(500, 200, 3));
        jitteryWan();
        time.advance(600_000);
        assertTrue(events.stream().anyMatch(e -> e.startsWith("down")), "events: " + events);
    }

    /** Every frame takes 5 ms and 120–180 ms more (round trips of 250 to 370 ms), and 1 % are lost. */
    private void jitteryWan() {
        Random jitter = new Random(7);
        net.delay = (from, type) -> 120 + jitter.nextInt(61);
        net.lose = (from, type) -> jitter.nextInt(100) == 0;
    }

    @Test
    void anAnswerPassedOnByAHelperDoesNotTimeTheLink() {
        fivePeersWatchingEachOther(SETTINGS);
        PeerId p0 = peers.get(0);
        PeerId p3 = peers.get(3);
        net.cut = (from, to) -> Set.of(from, to).equals(Set.of(p0, p3));
        net.delay = (from, type) -> type == FrameType.PROBE_ACK ? 40 : 0;
        time.advance(10 * SETTINGS.probeIntervalMillis());
        assertTrue(net.sent.get(FrameType.PROBE_REQUEST) > 0);
        assertEquals(10, detectors.get(0).roundTripMillis(p3), "only the first, direct answer timed the link");
        assertFalse(detectors.get(0).isDown(p3));
    }

    @Test
    void missedProbesOfLiveMembersStretchEveryTimeoutAndAnswersInTimeShrinkThemAgain() {
        fivePeersWatchingEachOther(SETTINGS);
        FailureDetector detector = detectors.get(0);
        net.slowToReceive.put(peers.get(0), 400L);
        time.advance(4 * SETTINGS.probeIntervalMillis());
        int score = detector.healthScore();
        assertTrue(score > 0, "the others proved alive after its direct probes timed out");
        assertTrue(detector.probeTimeoutMillis(peers.get(1)) >= (score + 1) * SETTINGS.probeTimeoutMinMillis());

        net.slowToReceive.clear();
        time.advance(60_000);
        assertEquals(0, detector.healthScore());
        assertEquals(SETTINGS.probeTimeoutMinMillis(), detector.probeTimeoutMillis(peers.get(1)));
    }

    @Test
    void aMemberTakenForDownThatIsHeardAgainStretchesTheTimeouts() {
        fivePeersWatchingEachOther(SETTINGS);
        FailureDetector detector = detectors.get(0);
        net.crashed.add(peers.get(2));
        time.advance(5 * SETTINGS.probeIntervalMillis());
        assertTrue(detector.isDown(peers.get(2)));
        assertEquals(0, detector.healthScore(), "a silent member is no sign of this node's slowness");

        net.crashed.remove(peers.get(2));
        detector.heard(peers.get(2));
        assertEquals(1, detector.healthScore(), "it was alive: this node may have been too quick");
    }

    @Test
    void withoutLocalHealthTheTimeoutsNeverStretch() {
        fivePeersWatchingEachOther(FailureDetector.Settings.fixed(500, 200, 3));
        net.slowToReceive.put(peers.get(0), 400L);
        time.advance(4 * SETTINGS.probeIntervalMillis());
        assertEquals(0, detectors.get(0).healthScore());
        assertEquals(200, detectors.get(0).probeTimeoutMillis(peers.get(1)));
    }

    @Test
    void aProbeOfAMemberNoLongerWatchedLeavesTheTimeoutOfUnmeasuredLinksAlone() {
        fivePeersWatchingEachOther(SETTINGS);
        FailureDetector detector = detectors.get(0);
        net.crashed.add(peers.get(3));
        detector.suspect(peers.get(3));
        detector.watch(Set.of(peers.get(1), peers.get(2), peers.get(4)));
        time.advance(SETTINGS.probeIntervalMillis());
        assertEquals(RoundTripEstimate.INITIAL_TIMEOUT_MILLIS, detector.probeTimeoutMillis(stranger));
    }
}
