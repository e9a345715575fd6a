package org.ringchat.spi;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.ringchat.api.GroupId;
import org.ringchat.api.PeerId;

/**
 * A group's members placed on a ring in an order no member can choose: by the SHA-256 hash of the
 * group ID followed by the member's peer ID. Every member holding the same member list builds the same
 * ring. Immutable; positions are 0 to {@code size() - 1}, and steps wrap around.
 */
public final class Ring {

    private final List<PeerId> members;
    private final Map<PeerId, Integer> positions;

    private Ring(List<PeerId> members) {
        this.members = List.copyOf(members);
        this.positions = new HashMap<>(members.size() * 2);
        for (int i = 0; i < members.size(); i++) {
            positions.put(members.get(i), i);
        }
    }

    /** The ring of a group's members; duplicates are dropped. */
    public static Ring of(GroupId group, Collection<PeerId> members) {
        byte[] groupBytes = group.toBytes();
        MessageDigest sha256 = sha256();
        Map<PeerId, byte[]> keys = new HashMap<>(members.size() * 2);
        for (PeerId peer : new LinkedHashSet<>(members)) {
            sha256.update(groupBytes);
            keys.put(peer, sha256.digest(peer.toBytes()));
        }
        List<PeerId> ordered = new ArrayList<>(keys.keySet());
        ordered.sort(Comparator.<PeerId, byte[]>comparing(keys::get, Arrays::compareUnsigned)
                .thenComparing(Comparator.naturalOrder()));
        return new Ring(ordered);
    }

    public int size() {
        return members.size();
    }

    /** The members in ring order. */
    public List<PeerId> members() {
        return members;
    }

    public boolean contains(PeerId peer) {
        return positions.containsKey(peer);
    }

    /** The position of a member, or -1 when it is not on the ring. */
    public int positionOf(PeerId peer) {
        return positions.getOrDefault(peer, -1);
    }

    /** The member at a position, taken modulo the size (negative positions count back). */
    public PeerId at(int position) {
        return members.get(Math.floorMod(position, members.size()));
    }

    /** The member {@code steps} places after {@code peer} (before it when negative). */
    public PeerId after(PeerId peer, int steps) {
        return at(requirePosition(peer) + steps);
    }

    /** How many steps forward lead from {@code from} to {@code to}: 0 for the same member, else 1 to size - 1. */
    public int distance(PeerId from, PeerId to) {
        return Math.floorMod(requirePosition(to) - requirePosition(from), members.size());
    }

    private int requirePosition(PeerId peer) {
        Integer position = positions.get(peer);
        if (position == null) {
            throw new IllegalArgumentException("not on the ring: " + peer.shortText());
        }
        return position;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ring other && members.equals(other.members);
    }

    @Override
    public int hashCode() {
        return members.hashCode();
    }

    @Override
    public String toString() {
        return "Ring" + members.stream().map(PeerId::shortText).toList();
    }
}
