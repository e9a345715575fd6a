package org.ringchat.api;

import java.util.Objects;

/**
 * Where a peer can be reached, and the identity it must prove there: {@code <peerId>@<host>:<port>}.
 * IPv6 hosts are written in brackets: {@code <peerId>@[::1]:7000}.
 */
public final class PeerAddress {

    private final PeerId peerId;
    private final String host;
    private final int port;

    public PeerAddress(PeerId peerId, String host, int port) {
        this.peerId = Objects.requireNonNull(peerId, "peerId");
        this.host = checkHost(host);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, not " + port);
        }
        this.port = port;
    }

    /** Parses {@code <peerId>@<host>:<port>}. */
    public static PeerAddress parse(String text) {
        String s = text.trim();
        int at = s.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("an address looks like <peerId>@<host>:<port>, not: " + text);
        }
        HostPort hp = HostPort.parse(s.substring(at + 1));
        return new PeerAddress(PeerId.parse(s.substring(0, at)), hp.host(), hp.port());
    }

    private static String checkHost(String host) {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.length() > 255 || host.chars().anyMatch(c -> c <= ' ' || c == '@' || c == '/')) {
            throw new IllegalArgumentException("not a host name or IP address: '" + host + "'");
        }
        return host;
    }

    public PeerId peerId() {
        return peerId;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PeerAddress)) {
            return false;
        }
        PeerAddress other = (PeerAddress) o;
        return peerId.equals(other.peerId) && host.equals(other.host) && port == other.port;
    }

    @Override
    public int hashCode() {
        return Objects.hash(peerId, host, port);
    }

    @Override
    public String toString() {
        return peerId + "@" + new HostPort(host, port);
    }
}
