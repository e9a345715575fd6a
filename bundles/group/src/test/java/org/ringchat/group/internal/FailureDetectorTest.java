package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.ringchat.api.PeerId;

/** SWIM-style probing on virtual time: direct, then indirect, then down; and up again at the first sign of life. */
class FailureDetectorTest {

    private static final FailureDetector.Settings SETTINGS = FailureDetector.Settings.defaults();

    private final VirtualTime time = new VirtualTime();
    private final LoopbackNet net = new LoopbackNet(time);
    private final List<PeerId> peers = new ArrayList<>();
    private final List<FailureDetector> detectors = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private PeerId stranger;

    @BeforeEach
    void fivePeersWatchingEachOther() {
        for (int i = 0; i < 5; i++) {
            peers.add(PeerId.fromBytes(DisseminationTest.sha256("peer " + i)));
        }
        stranger = PeerId.fromBytes(DisseminationTest.sha256("stranger"));
        for (int i = 0; i < peers.size(); i++) {
            PeerId self = peers.get(i);
            FailureDetector detector = new FailureDetector(net.linkFor(self), time, SETTINGS, new Random(i), peers::contains);
            detectors.add(detector);
            net.attach(self, (from, type, body) -> {
                detector.heard(from);
                detector.onFrame(from, type, body);
            });
            detector.watch(Set.copyOf(peers.stream().filter(p -> !p.equals(self)).toList()));
            detector.start();
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
        net.crashed.add(peers.get(3));
        long crashedAt = time.nowMillis();
        // nothing heard from it for one interval, then a direct probe, then indirect probes: two timeouts
        time.advance(SETTINGS.probeIntervalMillis() + SETTINGS.probeTimeoutMillis());
        assertFalse(detectors.get(0).isDown(peers.get(3)), "the direct probe alone does not decide");
        time.advance(SETTINGS.probeIntervalMillis());
        assertTrue(detectors.get(0).isDown(peers.get(3)));
        assertEquals(1, events.size(), "events: " + events);
        long detectedAfter = Long.parseLong(events.get(0).substring(events.get(0).lastIndexOf(' ') + 1)) - crashedAt;
        assertTrue(detectedAfter <= SETTINGS.probeIntervalMillis() + 2 * SETTINGS.probeTimeoutMillis() + 2 * LoopbackNet.LATENCY_MILLIS,
                "detected after " + detectedAfter + " ms");
        assertTrue(net.sent.get(FrameType.PROBE_REQUEST) >= SETTINGS.indirectProbes(), "indirect probes were asked for");
        assertFalse(detectors.get(0).isDown(peers.get(1)), "the others are up");
    }

    @Test
    void aPeerThatOnlySomeCanReachIsNotDown() {
        // frames between 0 and 3 are lost, the others reach 3: the indirect probes answer for it
        PeerId p0 = peers.get(0);
        PeerId p3 = peers.get(3);
        net.lose = (from, type) -> from.equals(p0) && type == FrameType.PROBE;
        time.advance(10 * SETTINGS.probeIntervalMillis());
        assertFalse(detectors.get(0).isDown(p3), "events: " + events);
        assertTrue(net.sent.get(FrameType.PROBE_REQUEST) > 0);
    }

    @Test
    void aDownPeerIsUpAgainAtTheFirstFrameFromIt() {
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
        detectors.get(0).wentOffline(peers.get(4));
        assertTrue(detectors.get(0).isDown(peers.get(4)));
        detectors.get(0).heard(peers.get(4));
        assertFalse(detectors.get(0).isDown(peers.get(4)));
    }

    @Test
    void strangersGetNoAnswer() {
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
}
