package org.ringchat.itests.paxexam.support;

/**
 * Names shared by the driver side (the {@code @Configuration} methods, outside the framework) and the
 * test code that runs inside the framework. Only compile-time constants, so that using them loads nothing.
 */
public final class Itest {

    /** The configuration PID of a ringchat node. */
    public static final String NODE_PID = "org.ringchat.node";

    /** System property: the {@code listen} value the node inside the framework was configured with. */
    public static final String LISTEN_PROPERTY = "ringchat.itest.listen";

    /** System property: the address of the second node, {@code <peerId>@127.0.0.1:<port>}. */
    public static final String PEER_PROPERTY = "ringchat.itest.peer";

    /** How long a test waits for anything: services, components, the peer's answers. */
    public static final long TIMEOUT_SECONDS = 30;

    /** Symbolic names of the ringchat bundles, in dependency order. */
    public static final String[] RINGCHAT_BUNDLES = {
        "org.ringchat.api",
        "org.ringchat.crypto",
        "org.ringchat.transport.netty",
        "org.ringchat.topology.ring",
        "org.ringchat.state",
        "org.ringchat.group",
        "org.ringchat.shell",
    };

    private Itest() {
    }
}
