package org.ringchat.api;

import java.security.SecureRandom;
import java.util.Arrays;

/** A group's random 256-bit identifier, printed as 64 hex digits. */
public final class GroupId implements Comparable<GroupId> {

    /** Length of a group ID in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;
    /** Computed once: group IDs are map keys on every message's way. */
    private final int hash;
    /** Printed on first use only. */
    private String text;

    private GroupId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** A fresh random group ID. */
    public static GroupId random(SecureRandom random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new GroupId(b);
    }

    public static GroupId fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a group ID has " + LENGTH + " bytes, not " + bytes.length);
        }
        return new GroupId(bytes.clone());
    }

    public static GroupId parse(String text) {
        return new GroupId(Hex.parse("group ID", text, LENGTH));
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    @Override
    public int compareTo(GroupId other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupId && Arrays.equals(bytes, ((GroupId) o).bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        if (text == null) {
            text = Hex.format(bytes);
        }
        return text;
    }
}
