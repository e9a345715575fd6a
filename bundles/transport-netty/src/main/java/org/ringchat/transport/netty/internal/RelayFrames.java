package org.ringchat.transport.netty.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.ringchat.api.PeerId;

/**
 * The transport's own frames (types below {@link org.ringchat.spi.Transport#MIN_USER_TYPE}): dial-backs,
 * relay reservations and circuits. Bodies are big-endian; a body that does not decode exactly is refused
 * with an {@link IllegalArgumentException}. See docs/PROTOCOL.md, "Reachability and relaying".
 */
final class RelayFrames {

    static final int REACH_REQUEST = 0x01;
    static final int REACH_RESULT = 0x02;
    static final int RESERVE = 0x03;
    static final int RESERVED = 0x04;
    static final int CIRCUIT_OPEN = 0x05;
    static final int CIRCUIT_INCOMING = 0x06;
    static final int CIRCUIT_ACCEPT = 0x07;
    static final int CIRCUIT_CLOSE = 0x08;
    static final int CIRCUIT_DATA = 0x09;

    /** Reasons are one line for a log: longer ones are cut. */
    static final int MAX_REASON_BYTES = 200;

    private RelayFrames() {
    }

    /** {@code u64 nonce, u16 port, u8 length, host}: dial me back at host:port. */
    record ReachRequest(long nonce, String host, int port) {
        Frame frame() {
            byte[] name = host.getBytes(StandardCharsets.US_ASCII);
            return new Frame(REACH_REQUEST, ByteBuffer.allocate(8 + 2 + 1 + name.length)
                    .putLong(nonce).putShort((short) port).put((byte) name.length).put(name).array());
        }

        static ReachRequest decode(byte[] body) {
            return read(body, in -> {
                long nonce = in.getLong();
                int port = Short.toUnsignedInt(in.getShort());
                byte[] name = new byte[Byte.toUnsignedInt(in.get())];
                in.get(name);
                String host = new String(name, StandardCharsets.US_ASCII);
                if (port == 0 || host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                    // The host is not echoed: it may hold line breaks, and the reason is logged as one line.
                    throw new IllegalArgumentException("not an address to dial back: a host of " + name.length
                            + " bytes (printable ASCII wanted), port " + port);
                }
                return new ReachRequest(nonce, host, port);
            });
        }
    }

    /** {@code u64 nonce, u8 dialled, reason}: what dialling back found. */
    record ReachResult(long nonce, boolean dialled, String reason) {
        Frame frame() {
            byte[] text = reasonBytes(reason);
            return new Frame(REACH_RESULT, ByteBuffer.allocate(8 + 1 + text.length)
                    .putLong(nonce).put((byte) (dialled ? 1 : 0)).put(text).array());
        }

        static ReachResult decode(byte[] body) {
            return read(body, in -> new ReachResult(in.getLong(), flag(in.get()), rest(in)));
        }
    }

    /** {@code u8 accepted, reason}: a relay's answer to RESERVE (whose body is empty). */
    record Reserved(boolean accepted, String reason) {
        Frame frame() {
            byte[] text = reasonBytes(reason);
            return new Frame(RESERVED, ByteBuffer.allocate(1 + text.length).put((byte) (accepted ? 1 : 0)).put(text).array());
        }

        static Reserved decode(byte[] body) {
            return read(body, in -> new Reserved(flag(in.get()), rest(in)));
        }
    }

    /**
     * {@code u32 circuit, peer ID}: CIRCUIT_OPEN asks a relay for a circuit to the peer, CIRCUIT_INCOMING tells
     * the peer a relay has one from the peer named.
     */
    record CircuitPeer(int type, int circuit, PeerId peer) {
        Frame frame() {
            return new Frame(type, ByteBuffer.allocate(4 + PeerId.LENGTH).putInt(circuit).put(peer.toBytes()).array());
        }

        static CircuitPeer decode(int type, byte[] body) {
            return read(body, in -> {
                int circuit = in.getInt();
                byte[] id = new byte[PeerId.LENGTH];
                in.get(id);
                return new CircuitPeer(type, circuit, PeerId.fromBytes(id));
            });
        }
    }

    /** {@code u32 circuit, reason}: CIRCUIT_ACCEPT (no reason) or CIRCUIT_CLOSE. */
    record CircuitSignal(int type, int circuit, String reason) {
        Frame frame() {
            byte[] text = reasonBytes(reason);
            return new Frame(type, ByteBuffer.allocate(4 + text.length).putInt(circuit).put(text).array());
        }

        static CircuitSignal decode(int type, byte[] body) {
            return read(body, in -> new CircuitSignal(type, in.getInt(), rest(in)));
        }
    }

    /** {@code u32 circuit, bytes}: a piece of the end-to-end TLS stream, at least one byte. */
    record CircuitData(int circuit, byte[] bytes) {
        Frame frame() {
            return new Frame(CIRCUIT_DATA, ByteBuffer.allocate(4 + bytes.length).putInt(circuit).put(bytes).array());
        }

        static CircuitData decode(byte[] body) {
            if (body.length <= 4) {
                throw new IllegalArgumentException("a CIRCUIT_DATA frame of " + body.length + " bytes carries no data");
            }
            return new CircuitData(ByteBuffer.wrap(body).getInt(), Arrays.copyOfRange(body, 4, body.length));
        }
    }

    static String name(int type) {
        return switch (type) {
            case REACH_REQUEST -> "REACH_REQUEST";
            case REACH_RESULT -> "REACH_RESULT";
            case RESERVE -> "RESERVE";
            case RESERVED -> "RESERVED";
            case CIRCUIT_OPEN -> "CIRCUIT_OPEN";
            case CIRCUIT_INCOMING -> "CIRCUIT_INCOMING";
            case CIRCUIT_ACCEPT -> "CIRCUIT_ACCEPT";
            case CIRCUIT_CLOSE -> "CIRCUIT_CLOSE";
            case CIRCUIT_DATA -> "CIRCUIT_DATA";
            default -> String.format("0x%02x", type);
        };
    }

    private interface Reader<T> {
        T read(ByteBuffer in);
    }

    private static <T> T read(byte[] body, Reader<T> reader) {
        ByteBuffer in = ByteBuffer.wrap(body);
        T value;
        try {
            value = reader.read(in);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("the body of " + body.length + " bytes ends too soon");
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException(in.remaining() + " bytes too many");
        }
        return value;
    }

    private static boolean flag(byte value) {
        if (value != 0 && value != 1) {
            throw new IllegalArgumentException("a flag is 0 or 1, not " + value);
        }
        return value == 1;
    }

    private static String rest(ByteBuffer in) {
        if (in.remaining() > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("a reason of " + in.remaining() + " bytes is over " + MAX_REASON_BYTES);
        }
        String reason;
        try {
            reason = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the reason is not UTF-8");
        }
        // A peer's reason is logged: a line break in it would forge log lines.
        if (reason.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the reason holds a control character");
        }
        return reason;
    }

    /**
     * A reason on one line (control characters, which receivers refuse, made blanks), cut to
     * {@link #MAX_REASON_BYTES} at a character's start, so that it stays UTF-8.
     */
    private static byte[] reasonBytes(String reason) {
        byte[] text = reason.replaceAll("\\p{Cc}", " ").getBytes(StandardCharsets.UTF_8);
        if (text.length <= MAX_REASON_BYTES) {
            return text;
        }
        int end = MAX_REASON_BYTES;
        while ((text[end] & 0xc0) == 0x80) {
            end--;
        }
        return Arrays.copyOf(text, end);
    }
}
