package org.ringchat.group.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The one description of a node's configuration (PID {@code org.ringchat.node}): every key that the
 * node's components read, so that a console shows them all. The group protocol designates it; the store
 * and the transport read their keys of the same PID through their own property types, whose defaults
 * are these ({@code NodeConfigurationTest} holds them to it).
 */
@ObjectClassDefinition(id = "org.ringchat.node", name = "ringchat node",
        description = "Where the node keeps its data, how it reaches peers and the timing of the group protocol")
public @interface NodeConfiguration {

    @AttributeDefinition(name = "Data directory",
            description = "The node's data directory: its store (ringchat.mv.db), with its identity key and groups, "
                    + "and its message log (messages/)")
    String data_dir() default "data";

    @AttributeDefinition(name = "Sync messages to disk",
            description = "Whether each commit of the message log (messages/ in the data directory) is forced to the "
                    + "disk: acknowledged messages then survive a power cut too, not only the process being killed, "
                    + "at the cost of a disk flush per commit. Read at start")
    boolean messages_fsync() default false;

    @AttributeDefinition(name = "Listen address",
            description = "host:port to accept connections on, [ipv6]:port for IPv6; port 0 takes any free port. "
                    + "A change restarts the transport")
    String listen() default "127.0.0.1:7400";

    @AttributeDefinition(name = "Advertised address", required = false,
            description = "host:port other peers reach this node at; empty for the listen address")
    String advertise() default "";

    @AttributeDefinition(name = "Maximum frame size", min = "1", max = "67108864",
            description = "Largest frame body in bytes that is sent or accepted")
    int max_frame_size() default 1048576;

    @AttributeDefinition(name = "Connect timeout", min = "1",
            description = "Milliseconds that opening a connection, and then its TLS handshake, may take")
    int connect_timeout_ms() default 5000;

    @AttributeDefinition(name = "Idle timeout", min = "1",
            description = "Milliseconds a connection may carry nothing before it is closed (reopened when needed)")
    long idle_timeout_ms() default 60000;

    @AttributeDefinition(name = "Handshakes per address", min = "1",
            description = "Connections from one IP address that may be in the TLS handshake at once; more are "
                    + "closed at once. Many peers behind one address (a NAT) all get in, one after another")
    int max_handshakes_per_address() default 32;

    @AttributeDefinition(name = "Handshakes", min = "1",
            description = "Connections from anywhere that may be in the TLS handshake at once; more are closed at once")
    int max_handshakes() default 128;

    @AttributeDefinition(name = "Connections per peer", min = "1",
            description = "Connections one peer, proven by its key, may have opened to this node at once; "
                    + "more are closed after the handshake")
    int max_connections_per_peer() default 4;

    @AttributeDefinition(name = "Relay reservations", min = "0",
            description = "Members that cannot be dialled which this node relays for at once; 0 relays for nobody")
    int relay_max_reservations() default 64;

    @AttributeDefinition(name = "Relayed circuits", min = "0",
            description = "Circuits between two members this node relays at once")
    int relay_max_circuits() default 256;

    @AttributeDefinition(name = "Relayed circuits per member", min = "0",
            description = "Of those, the circuits that may start or end at one member")
    int relay_max_circuits_per_peer() default 16;

    @AttributeDefinition(name = "Bytes per relayed circuit", min = "0",
            description = "Bytes one circuit carries, both ways together, before the relay closes it (its ends open another)")
    long relay_max_circuit_bytes() default 67108864;

    @AttributeDefinition(name = "Relayed circuit lifetime (s)", min = "1",
            description = "Seconds one circuit stays open before the relay closes it (its ends open another)")
    long relay_max_circuit_seconds() default 3600;

    @AttributeDefinition(name = "Relays kept", min = "1",
            description = "Relays a node that others cannot dial reserves at, its ring successors first")
    int relays_kept() default 3;

    @AttributeDefinition(name = "Least acknowledgement timeout (ms)", min = "1",
            description = "How long to wait at least for the next member to acknowledge a message before trying the "
                    + "one after. The timeout is twice the member's probe timeout, within these bounds")
    long ack_timeout_min_ms() default 1000;

    @AttributeDefinition(name = "Longest acknowledgement timeout (ms)", min = "1",
            description = "How long to wait at most for the next member to acknowledge a message, however slow its link")
    long ack_timeout_max_ms() default 3000;

    @AttributeDefinition(name = "Part timeout (ms)",
            description = "How long to wait for a member that took a message to report its part of the group done "
                    + "before handing the rest of that part on again")
    long part_timeout_ms() default 10000;

    @AttributeDefinition(name = "Probe interval (ms)",
            description = "How often each linked member is probed when nothing was heard from it meanwhile")
    long probe_interval_ms() default 500;

    @AttributeDefinition(name = "Longest probe interval (ms)",
            description = "How far the probe interval of a linked member that answers every probe in time stretches, "
                    + "doubling with each answer; a missed probe or acknowledgement starts it over. The probe "
                    + "interval for no stretching")
    long probe_interval_max_ms() default 2000;

    @AttributeDefinition(name = "Least probe timeout (ms)", min = "1",
            description = "How long a probe may take at least, direct and then indirect, before the member is taken "
                    + "for down. The timeout follows each link's round trip (SRTT + 4 RTTVAR, as TCP's), within these bounds")
    long probe_timeout_min_ms() default 200;

    @AttributeDefinition(name = "Longest probe timeout (ms)", min = "1",
            description = "How long a probe may take at most, however slow the link looks")
    long probe_timeout_max_ms() default 3000;

    @AttributeDefinition(name = "Indirect probes",
            description = "How many other members are asked to probe a member that did not answer")
    int indirect_probes() default 3;

    @AttributeDefinition(name = "Local health maximum", min = "0",
            description = "How far a node whose own probes go unanswered stretches its timeouts and probe interval "
                    + "(times score + 1, the score rising by one per sign of its own slowness up to this); 0 for never")
    int local_health_max() default 8;

    @AttributeDefinition(name = "Anti-entropy interval (ms)",
            description = "How often a member compares what it holds with a member it is linked to and fetches what it lacks")
    long anti_entropy_interval_ms() default 5000;

    @AttributeDefinition(name = "Invitation timeout (ms)", description = "How long to wait for an invitee to answer")
    long invite_timeout_ms() default 10000;

    @AttributeDefinition(name = "Retry interval (ms)",
            description = "How long to wait before offering a message nobody took again")
    long retry_interval_ms() default 5000;
}
