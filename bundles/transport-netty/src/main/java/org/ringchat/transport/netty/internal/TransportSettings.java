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
 * @param maxConnectionsPerAddress how many connections one IP address may have opened to this node at once, in
 *                       the TLS handshake or past it; more are closed at once, so that a flood from one
 *                       address can neither take every handshake slot nor every file descriptor
 */
public record TransportSettings(HostPort listen, HostPort advertise, int maxFrameSize, Duration connectTimeout,
                                Duration idleTimeout, int maxConnectionsPerAddress) {

    /** Connections idle for a minute are closed. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(1);
    /**
     * A peer opens one connection to another, so this leaves room for many peers behind one address (a NAT,
     * a test running nodes on loopback), and lets four busy addresses fill the 128 handshake slots at most.
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 32;

    public TransportSettings(HostPort listen, HostPort advertise, int maxFrameSize, Duration connectTimeout) {
        this(listen, advertise, maxFrameSize, connectTimeout, DEFAULT_IDLE_TIMEOUT);
    }

    public TransportSettings(HostPort listen, HostPort advertise, int maxFrameSize, Duration connectTimeout,
                             Duration idleTimeout) {
        this(listen, advertise, maxFrameSize, connectTimeout, idleTimeout, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
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
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("max connections per address must be positive, not " + maxConnectionsPerAddress);
        }
        if (maxFrameSize < 1 || maxFrameSize > MAX_FRAME_SIZE_LIMIT) {
            throw new IllegalArgumentException("max frame size must be 1.." + MAX_FRAME_SIZE_LIMIT + " bytes, not " + maxFrameSize);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connect timeout must be positive and at most " + Integer.MAX_VALUE + " ms, not " + connectTimeout);
        }
    }
}
