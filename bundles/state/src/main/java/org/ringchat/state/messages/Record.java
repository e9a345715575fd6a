package org.ringchat.state.messages;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;

/**
 * One record of a segment file. A fixed header names the record, with a checksum of its own, so that a
 * damaged body still says which message it held; the body has a second checksum.
 *
 * <pre>
 * offset  size
 *      0     4  MAGIC                       finds the next record after damage
 *      4     4  body length L               at most {@link #MAX_BODY}
 *      8     1  kind                        {@link #MESSAGE} or {@link #STATUS}
 *      9    32  group ID
 *     41     8  sequence in the group
 *     49    16  message ID                  zeros in a STATUS record
 *     65     4  CRC32C of bytes 4..64
 *     69     4  CRC32C of the body
 *     73     L  body                        MESSAGE: statusLength:u16 status message; STATUS: status
 * </pre>
 * Integers are big-endian.
 *
 * @param status  the status of a MESSAGE record, or the whole body of a STATUS record
 * @param message the message of a MESSAGE record; empty in a STATUS record
 */
record Record(byte kind, GroupId group, long sequence, MessageId id, byte[] status, byte[] message) {

    static final int MAGIC = 0x52434C47; // "RCLG"
    static final byte MESSAGE = 1;
    static final byte STATUS = 2;
    static final int HEADER = 73;
    /** A message is at most 16 KB of text plus its signature and parents; the rest is headroom. */
    static final int MAX_BODY = 256 * 1024;
    static final int MAX_STATUS = 0xFFFF;

    private static final int HEADER_CHECKED_FROM = 4;
    private static final int HEADER_CRC_AT = 65;

    /**
     * A record to write: its status and message are written as they are, not first joined into one body,
     * since every message a node takes is appended.
     */
    static Record message(GroupId group, long sequence, MessageId id, byte[] status, byte[] message) {
        if (status.length > MAX_STATUS || 2 + status.length + message.length > MAX_BODY) {
            throw new IllegalArgumentException("a stored message holds at most " + MAX_BODY + " bytes with its status, not "
                    + (2 + status.length + message.length));
        }
        return new Record(MESSAGE, group, sequence, id, status, message);
    }

    /** A status record names no message: its group and sequence do, and a change of status reads nothing. */
    private static final MessageId NO_ID = MessageId.fromBytes(new byte[MessageId.LENGTH]);
    private static final byte[] NO_MESSAGE = new byte[0];

    static Record status(GroupId group, long sequence, byte[] status) {
        if (status.length > MAX_STATUS) {
            throw new IllegalArgumentException("a delivery status holds at most " + MAX_STATUS + " bytes, not " + status.length);
        }
        return new Record(STATUS, group, sequence, NO_ID, status, NO_MESSAGE);
    }

    int size() {
        return HEADER + bodyLength();
    }

    private int bodyLength() {
        return kind == MESSAGE ? 2 + status.length + message.length : status.length;
    }

    /** Writes the record; it keeps no reference to its arrays after. */
    void writeTo(ByteBuffer out) {
        int start = out.position();
        out.putInt(MAGIC).putInt(bodyLength()).put(kind).put(group.toBytes()).putLong(sequence).put(id.toBytes());
        out.putInt(crc(out, start + HEADER_CHECKED_FROM, start + HEADER_CRC_AT));
        int crcAt = out.position();
        out.putInt(0);
        int bodyAt = out.position();
        if (kind == MESSAGE) {
            out.putShort((short) status.length);
        }
        out.put(status).put(message);
        out.putInt(crcAt, crc(out, bodyAt, out.position()));
    }

    /** A header read back, before its body is: what a reader needs to find and check the body. */
    record Header(byte kind, GroupId group, long sequence, MessageId id, int bodyLength, int bodyCrc) {

        /** The record with its body; null when the body cannot hold the status it says it has: damaged all the same. */
        Record withBody(byte[] body) {
            if (kind == STATUS) {
                return new Record(kind, group, sequence, id, body, NO_MESSAGE);
            }
            if (body.length < 2) {
                return null;
            }
            ByteBuffer in = ByteBuffer.wrap(body);
            int statusLength = in.getShort() & 0xFFFF;
            if (2 + statusLength > body.length) {
                return null;
            }
            byte[] status = new byte[statusLength];
            byte[] message = new byte[body.length - 2 - statusLength];
            in.get(status).get(message);
            return new Record(kind, group, sequence, id, status, message);
        }

        /** Whether a body read back is the one written. */
        boolean matches(ByteBuffer body) {
            CRC32C crc = new CRC32C();
            crc.update(body);
            return (int) crc.getValue() == bodyCrc;
        }

        /**
         * The header at the buffer's position, or null when those bytes are not a whole, intact header. Only
         * a header whose checksum holds is believed: its length is then no accident.
         */
        static Header read(ByteBuffer in) {
            if (in.remaining() < HEADER) {
                return null;
            }
            int start = in.position();
            if (in.getInt(start) != MAGIC || in.getInt(start + HEADER_CRC_AT) != crc(in, start + HEADER_CHECKED_FROM,
                    start + HEADER_CRC_AT)) {
                return null;
            }
            int length = in.getInt(start + 4);
            byte kind = in.get(start + 8);
            if (length < 0 || length > MAX_BODY || (kind != MESSAGE && kind != STATUS)) {
                return null;
            }
            byte[] group = new byte[GroupId.LENGTH];
            byte[] id = new byte[MessageId.LENGTH];
            in.get(start + 9, group).get(start + 49, id);
            return new Header(kind, GroupId.fromBytes(group), in.getLong(start + 41), MessageId.fromBytes(id), length,
                    in.getInt(start + 69));
        }
    }

    private static int crc(ByteBuffer buffer, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().limit(to).position(from));
        return (int) crc.getValue();
    }
}
