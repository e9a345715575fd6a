package org.ringchat.state.messages;

import org.ringchat.api.MessageId;
import org.ringchat.wire.IdIndex;

/**
 * Message ID to (group number, sequence): an {@link IdIndex}, whose place holds both, the group number above
 * {@value #SEQUENCE_BITS} bits of sequence. No object per message, where a {@code HashMap} would take about 100 bytes.
 */
final class IdTable {

    static final long NONE = IdIndex.NONE;
    private static final int SEQUENCE_BITS = 40;

    private final IdIndex index = new IdIndex();

    void put(MessageId id, int group, long sequence) {
        index.put(id.mostSignificantBits(), id.leastSignificantBits(), (long) group << SEQUENCE_BITS | sequence);
    }

    /** The group number and sequence of a message, or {@link #NONE}. */
    long get(MessageId id) {
        return index.get(id.mostSignificantBits(), id.leastSignificantBits());
    }

    static int group(long found) {
        return (int) (found >>> SEQUENCE_BITS);
    }

    static long sequence(long found) {
        return found & ((1L << SEQUENCE_BITS) - 1);
    }
}
