package org.ringchat.spi.testing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;
import org.ringchat.api.GroupId;
import org.ringchat.api.PeerId;
import org.ringchat.spi.Ring;

/** Distinct peers and rings of them, made from hashes rather than key pairs so that large groups are cheap. */
public final class Members {

    public static final GroupId GROUP = GroupId.fromBytes(sha256(-1));

    private static final Map<Integer, Ring> RINGS = new ConcurrentHashMap<>();

    private static final double[] CRASHED_SHARES = {0.1, 0.3, 0.5, 0.8};

    private Members() {
    }

    /** Group sizes the topology tests cover: the small edge cases, powers of two and their neighbours, large ones. */
    public static IntStream sizes() {
        return IntStream.of(1, 2, 3, 4, 5, 7, 8, 16, 17, 100, 1000, 1024, 10000);
    }

    /** (size, share crashed) pairs for the failure tests; 10,000 is left out to keep them fast. */
    public static Stream<Arguments> crashes() {
        return sizes().filter(n -> n < 10000).boxed()
                .flatMap(n -> IntStream.range(0, CRASHED_SHARES.length).mapToObj(i -> Arguments.of(n, CRASHED_SHARES[i])));
    }

    public static PeerId peer(int i) {
        return PeerId.fromBytes(sha256(i));
    }

    public static List<PeerId> peers(int n) {
        List<PeerId> peers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            peers.add(peer(i));
        }
        return peers;
    }

    /** The ring of {@code n} peers in {@link #GROUP}, built once per size. */
    public static Ring ring(int n) {
        return RINGS.computeIfAbsent(n, size -> Ring.of(GROUP, peers(size)));
    }

    /** Ring positions to broadcast from: both ends, the second, the middle and a random one. */
    public static Set<Integer> authorPositions(int n, Random random) {
        return new TreeSet<>(List.of(0, Math.min(1, n - 1), n / 2, n - 1, random.nextInt(n)));
    }

    /** A random share of the ring's members, never {@code author}. */
    public static Set<PeerId> crashed(Ring ring, PeerId author, double share, Random random) {
        List<PeerId> others = new ArrayList<>(ring.members());
        others.remove(author);
        Collections.shuffle(others, random);
        int count = (int) Math.min(others.size(), Math.round(share * ring.size()));
        return new HashSet<>(others.subList(0, count));
    }

    private static byte[] sha256(int i) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(ByteBuffer.allocate(4).putInt(i).array());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
