package org.ringchat.transport.netty.internal;

import java.time.Duration;
import java.util.Objects;

import org.ringchat.api.HostPort;

/**
 * How a {@link NettyTransport} listens and connects.
 *
 * @param listen         where to accept connections; port 0 takes any free port
 * @param advertise      the address to tell other peers, or null for the listen host and the bound port;
 *                       its port 0 also means the bound port
 * @param maxFrameSize   the largest frame body sent or accepted, in bytes
 * @param connectTimeout how long connecting, and then the TLS handshake, may take
 * @param idleTimeout    how long a connection may carry nothing before it is closed: connections to the
 *                       members a node is linked to carry probes, so only the others close
 * @param maxHandshakesPerAddress how many connections from one IP address may be in the TLS handshake at once;
 *                       more are closed at once, so that a flood from one address holds a few handshake slots
 * @param maxHandshakes  how many connections from anywhere may be in the TLS handshake at once
 * @param maxConnectionsPerPeer how many connections one peer, proven by its key, may have opened to this node at
 *                       once; it needs one, two while both sides dial at once or it reconnects
 */
public record TransportSettings(HostPort listen, HostPort advertise, int maxFrameSize, Duration connectTimeout,
                                Duration idleTimeout, int maxHandshakesPerAddress, int maxHandshakes,
                                int maxConnectionsPerPeer) {

    /** Connections idle for a minute are closed. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(1);
    /**
     * A handshake takes milliseconds, so this lets dozens of members behind one address (a NAT, a group on one
     * machine) dial at once, and four busy addresses fill the handshake slots at most.
     */
    public static final int DEFAULT_MAX_HANDSHAKES_PER_ADDRESS = 32;
    public static final int DEFAULT_MAX_HANDSHAKES = 128;
    /** A lost connection's replacement, and both of a simultaneous dial, fit while the old one closes. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_PEER = 4;

    public TransportSettings(HostPort listen, HostPort advertise, int maxFrameSize, Duration connectTimeout) {
        this(listen, advertise, maxFrameSize, connectTimeout, DEFAULT_IDLE_TIMEOUT);
    }

    public TransportSettings(HostPort listen, HostPort advertise, int maxFrameSize, Duration connectTimeout,
                             Duration idleTimeout) {
        this(listen, advertise, maxFrameSize, connectTimeout, idleTimeout, DEFAULT_MAX_HANDSHAKES_PER_ADDRESS,
                DEFAULT_MAX_HANDSHAKES, DEFAULT_MAX_CONNECTIONS_PER_PEER);
    }

    /** Keeps the per-connection buffers, a few frames each, within an {@code int}. */
    static final int MAX_FRAME_SIZE_LIMIT = 64 * 1024 * 1024;

    public TransportSettings {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive, not " + idleTimeout);
        }
        requirePositive("max handshakes per address", maxHandshakesPerAddress);
        requirePositive("max handshakes", maxHandshakes);
        requirePositive("max connections per peer", maxConnectionsPerPeer);
        if (maxFrameSize < 1 || maxFrameSize > MAX_FRAME_SIZE_LIMIT) {
            throw new IllegalArgumentException("max frame size must be 1.." + MAX_FRAME_SIZE_LIMIT + " bytes, not " + maxFrameSize);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connect timeout must be positive and at most " + Integer.MAX_VALUE + " ms, not " + connectTimeout);
        }
    }

    private static void requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be positive, not " + value);
        }
    }
}
