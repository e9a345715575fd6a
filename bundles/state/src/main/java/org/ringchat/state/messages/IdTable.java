package org.ringchat.state.messages;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

import org.ringchat.api.MessageId;

/**
 * Message ID to (group number, sequence), in three long arrays with open addressing: 24 bytes a slot and
 * no object per message, where a {@code HashMap} would take about 100.
 */
final class IdTable {

    static final long NONE = -1;
    private static final int SEQUENCE_BITS = 40;

    private long[] high = new long[1024];
    private long[] low = new long[1024];
    /** (group number + 1) and sequence; 0 for an empty slot. */
    private long[] value = new long[1024];
    private int size;
    /** IDs come from peers: a seed of this table's own, so that chosen IDs cannot pile up in one run of slots. */
    private final long seed = ThreadLocalRandom.current().nextLong();

    void put(MessageId id, int group, long sequence) {
        if ((size + 1) * 4L > value.length * 3L) {
            grow();
        }
        ByteBuffer bytes = ByteBuffer.wrap(id.toBytes());
        if (insert(bytes.getLong(0), bytes.getLong(8), (long) (group + 1) << SEQUENCE_BITS | sequence)) {
            size++;
        }
    }

    /** The group number and sequence of a message, or {@link #NONE}. */
    long get(MessageId id) {
        ByteBuffer bytes = ByteBuffer.wrap(id.toBytes());
        long h = bytes.getLong(0);
        long l = bytes.getLong(8);
        for (int at = start(h, l); value[at] != 0; at = (at + 1) & (value.length - 1)) {
            if (high[at] == h && low[at] == l) {
                return value[at];
            }
        }
        return NONE;
    }

    static int group(long found) {
        return (int) (found >>> SEQUENCE_BITS) - 1;
    }

    static long sequence(long found) {
        return found & ((1L << SEQUENCE_BITS) - 1);
    }

    private boolean insert(long h, long l, long v) {
        int at = start(h, l);
        while (value[at] != 0) {
            if (high[at] == h && low[at] == l) {
                value[at] = v;
                return false;
            }
            at = (at + 1) & (value.length - 1);
        }
        high[at] = h;
        low[at] = l;
        value[at] = v;
        return true;
    }

    private int start(long h, long l) {
        long mixed = (h ^ seed ^ Long.rotateLeft(l ^ seed, 29)) * 0x9E3779B97F4A7C15L;
        return (int) (mixed ^ (mixed >>> 32)) & (value.length - 1);
    }

    private void grow() {
        long[] oldHigh = high;
        long[] oldLow = low;
        long[] oldValue = value;
        high = new long[oldValue.length * 2];
        low = new long[oldValue.length * 2];
        value = new long[oldValue.length * 2];
        for (int i = 0; i < oldValue.length; i++) {
            if (oldValue[i] != 0) {
                insert(oldHigh[i], oldLow[i], oldValue[i]);
            }
        }
    }
}
