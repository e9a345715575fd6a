package org.ringchat.simulator;

import java.util.Arrays;

import org.ringchat.api.MessageId;

/** One broadcast message and what became of it at every member. */
public final class Msg {

    public static final byte NOT_HELD = 0;
    public static final byte VIA_AUTHOR = 1;
    public static final byte VIA_CHAT = 2;
    public static final byte VIA_SYNC = 3;

    public final int index;
    public final MessageId id;
    public final int author;
    /** The author's sequence number for it, from 1. */
    public final long seq;
    public final long origin;
    public final byte[] payload;

    /** Virtual time each member first held it; -1 when it does not. */
    final long[] heldAt;
    /** Hops from the author of the copy each member first took over CHAT; -1 when it came by anti-entropy. */
    final short[] depth;
    final byte[] via;
    /** CHAT frames each member was handed for it. */
    final short[] chats;

    /** CHAT frames sent for it (every hand-off, to live or dead members, duplicates included). */
    long copies;
    /** CHAT frames that brought it to a member that held it already. */
    long duplicates;
    /** When the author's broadcast completed, and whom it reported missing. */
    long completedAt = -1;
    int missingReported = -1;
    /** Members holding it that a CONFIRM reached. */
    int confirms;
    /** The fewest missing that a CONFIRM said to each member holding it; -1 before any. */
    final int[] confirmedMissing;

    Msg(int index, MessageId id, int author, long seq, long origin, byte[] payload, int members) {
        this.index = index;
        this.id = id;
        this.author = author;
        this.seq = seq;
        this.origin = origin;
        this.payload = payload;
        this.heldAt = new long[members];
        this.depth = new short[members];
        this.via = new byte[members];
        this.chats = new short[members];
        this.confirmedMissing = new int[members];
        Arrays.fill(heldAt, -1);
        Arrays.fill(confirmedMissing, -1);
        Arrays.fill(depth, (short) -1);
        heldAt[author] = origin;
        depth[author] = 0;
        via[author] = VIA_AUTHOR;
    }

    public boolean heldBy(int member) {
        return heldAt[member] >= 0;
    }

    public long heldAt(int member) {
        return heldAt[member];
    }

    public int depth(int member) {
        return depth[member];
    }

    public byte via(int member) {
        return via[member];
    }

    public int chats(int member) {
        return chats[member];
    }

    public long copies() {
        return copies;
    }

    public long duplicates() {
        return duplicates;
    }

    public long completedAt() {
        return completedAt;
    }

    public int missingReported() {
        return missingReported;
    }

    public int confirms() {
        return confirms;
    }
}
