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
 */
public record TransportSettings(HostPort listen, HostPort advertise, int maxFrameSize, Duration connectTimeout,
                                Duration idleTimeout) {

    /** Connections idle for a minute are closed. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(1);

    public TransportSettings(HostPort listen, HostPort advertise, int maxFrameSize, Duration connectTimeout) {
        this(listen, advertise, maxFrameSize, connectTimeout, DEFAULT_IDLE_TIMEOUT);
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
        if (maxFrameSize < 1 || maxFrameSize > MAX_FRAME_SIZE_LIMIT) {
            throw new IllegalArgumentException("max frame size must be 1.." + MAX_FRAME_SIZE_LIMIT + " bytes, not " + maxFrameSize);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connect timeout must be positive and at most " + Integer.MAX_VALUE + " ms, not " + connectTimeout);
        }
    }
}
