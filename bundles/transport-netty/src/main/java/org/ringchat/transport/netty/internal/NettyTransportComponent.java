package org.ringchat.transport.netty.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.ringchat.api.HostPort;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.Reachability;
import org.ringchat.spi.FrameReceiver;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.spi.Relaying;
import org.ringchat.spi.Transport;

/** Publishes a started {@link NettyTransport} as the {@link Transport} service, and closes it on deactivation. */
@Component(service = Transport.class, configurationPid = "org.ringchat.node",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public class NettyTransportComponent implements Transport {

    /**
     * The transport's keys of the node's configuration; described, with these defaults, in the one
     * description of PID {@code org.ringchat.node} (the group bundle's {@code NodeConfiguration}).
     */
    public @interface Config {
        String listen() default "127.0.0.1:7400";
        String advertise() default "";
        int max_frame_size() default 1048576;
        int connect_timeout_ms() default 5000;
        long idle_timeout_ms() default 60000;
        int max_handshakes_per_address() default TransportSettings.DEFAULT_MAX_HANDSHAKES_PER_ADDRESS;
        int max_handshakes() default TransportSettings.DEFAULT_MAX_HANDSHAKES;
        int max_connections_per_peer() default TransportSettings.DEFAULT_MAX_CONNECTIONS_PER_PEER;
        int relay_max_reservations() default RelaySettings.DEFAULT_MAX_RESERVATIONS;
        int relay_max_circuits() default RelaySettings.DEFAULT_MAX_CIRCUITS;
        int relay_max_circuits_per_peer() default RelaySettings.DEFAULT_MAX_CIRCUITS_PER_PEER;
        long relay_max_circuit_bytes() default RelaySettings.DEFAULT_MAX_CIRCUIT_BYTES;
        long relay_max_circuit_seconds() default RelaySettings.DEFAULT_MAX_CIRCUIT_SECONDS;
        int relays_kept() default RelaySettings.DEFAULT_RELAYS_KEPT;
    }

    /** The key that capped all connections per IP address until the limits above replaced it. */
    static final String REPLACED_KEY = "max.connections.per.address";

    private final NodeIdentity identity;
    /** Replaced when the listen or advertised address changes; the service stays the same. */
    private volatile NettyTransport transport;
    private volatile TransportSettings settings;
    private volatile FrameReceiver receiver;
    private volatile Relaying relaying = Relaying.NONE;
    private volatile List<PeerAddress> relayCandidates = List.of();

    @Activate
    public NettyTransportComponent(@Reference(name = "identity") NodeIdentity identity, Map<String, Object> properties,
                                   Config config) {
        warnOfReplacedKey(properties);
        this.identity = identity;
        this.settings = settings(config);
        this.transport = new NettyTransport(identity, settings, relaySettings(config));
        transport.start();
    }

    /**
     * A changed configuration: timeouts and limits apply at once, for the connections that come next; a new
     * listen or advertised address, or frame size, needs a new transport, which this one becomes (the
     * connections are opened again). A new address that cannot be listened on leaves the old one as it is.
     */
    @Modified
    void modified(Map<String, Object> properties, Config config) {
        warnOfReplacedKey(properties);
        transport.update(relaySettings(config));
        TransportSettings changed = settings(config);
        if (changed.equals(settings)) {
            return;
        }
        if (NettyTransport.sameAddresses(settings, changed)) {
            transport.update(changed);
            settings = changed;
            NettyTransport.LOG.log(System.Logger.Level.INFO, "took the transport''s new timeouts and limits");
            return;
        }
        NettyTransport replacement = new NettyTransport(identity, changed, relaySettings(config));
        boolean samePort = changed.listen().equals(settings.listen());
        NettyTransport old = transport;
        if (samePort) {
            old.close(); // the new transport listens on the same port
        }
        try {
            replacement.start();
        } catch (RuntimeException e) {
            NettyTransport.LOG.log(System.Logger.Level.ERROR, "kept the transport on " + settings.listen() + ": "
                    + e.getMessage());
            if (samePort) {
                throw e; // nothing is left to keep: SCR deactivates the component
            }
            return;
        }
        replacement.setReceiver(receiver);
        replacement.setRelaying(relaying);
        replacement.useRelays(relayCandidates);
        transport = replacement;
        settings = changed;
        if (!samePort) {
            old.close();
        }
        NettyTransport.LOG.log(System.Logger.Level.INFO, "restarted the transport for its new address: "
                + replacement.localAddress());
    }

    private static void warnOfReplacedKey(Map<String, Object> properties) {
        if (properties.containsKey(REPLACED_KEY)) {
            NettyTransport.LOG.log(System.Logger.Level.WARNING, REPLACED_KEY + " is no longer read: connections are "
                    + "now limited by max.handshakes.per.address, max.handshakes and max.connections.per.peer "
                    + "(docs/SECURITY.md); remove it from the configuration");
        }
    }

    private static TransportSettings settings(Config config) {
        String advertise = config.advertise().trim();
        return new TransportSettings(
                HostPort.parse(config.listen()),
                advertise.isEmpty() ? null : HostPort.parse(advertise),
                config.max_frame_size(),
                Duration.ofMillis(config.connect_timeout_ms()),
                Duration.ofMillis(config.idle_timeout_ms()),
                config.max_handshakes_per_address(),
                config.max_handshakes(),
                config.max_connections_per_peer());
    }

    private static RelaySettings relaySettings(Config config) {
        return new RelaySettings(config.relay_max_reservations(), config.relay_max_circuits(),
                config.relay_max_circuits_per_peer(), config.relay_max_circuit_bytes(),
                Duration.ofSeconds(config.relay_max_circuit_seconds()), config.relays_kept());
    }

    @Deactivate
    void deactivate() {
        transport.close();
    }

    @Override
    public PeerAddress localAddress() {
        return transport.localAddress();
    }

    @Override
    public int maxFrameSize() {
        return transport.maxFrameSize();
    }

    @Override
    public CompletionStage<Void> send(PeerAddress to, int type, byte[] body) {
        return transport.send(to, type, body);
    }

    @Override
    public CompletionStage<Void> sendOwned(PeerAddress to, int type, byte[] body) {
        return transport.sendOwned(to, type, body);
    }

    @Override
    public Reachability reachability() {
        return transport.reachability();
    }

    @Override
    public void setRelaying(Relaying relaying) {
        this.relaying = relaying;
        transport.setRelaying(relaying);
    }

    @Override
    public void useRelays(List<PeerAddress> candidates) {
        relayCandidates = List.copyOf(candidates);
        transport.useRelays(candidates);
    }

    @Override
    public void setReceiver(FrameReceiver receiver) {
        this.receiver = receiver;
        transport.setReceiver(receiver);
    }
}
