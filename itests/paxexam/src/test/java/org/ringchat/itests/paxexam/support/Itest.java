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

    /**
     * System property naming the framework a run is meant for, by its system bundle's symbolic name: set
     * by the build's Equinox run ({@code org.eclipse.osgi}); without it, Felix.
     */
    public static final String FRAMEWORK_PROPERTY = "ringchat.itest.framework";

    /** System property: the address of the second node, {@code <peerId>@127.0.0.1:<port>}. */
    public static final String PEER_PROPERTY = "ringchat.itest.peer";

    /** System property: the address of the driver-side peer that runs the ring topology (TopologySwapUnderLoadIT). */
    public static final String RING_PEER_PROPERTY = "ringchat.itest.peer.ring";

    /** System property: the address of the driver-side peer that runs the tree topology (TopologySwapUnderLoadIT). */
    public static final String TREE_PEER_PROPERTY = "ringchat.itest.peer.tree";

    /** The names of those two peers; each answers a message {@code text} with {@code "echo-<name>: " + text}. */
    public static final String RING_PEER = "ring";
    public static final String TREE_PEER = "tree";
    public static final String ECHO_PREFIX = "echo-";

    /**
     * System property: the location (a {@code file:} URL) of the tree topology bundle, which is not
     * provisioned with the node but installed by the test while the node runs.
     */
    public static final String TREE_BUNDLE_PROPERTY = "ringchat.itest.bundle.tree";

    /** Symbolic names of the two topology bundles. */
    public static final String RING_TOPOLOGY_BUNDLE = "org.ringchat.topology.ring";
    public static final String TREE_TOPOLOGY_BUNDLE = "org.ringchat.topology.tree";

    /** How long a test waits for anything: services, components, the peer's answers. */
    public static final long TIMEOUT_SECONDS = 30;

    /**
     * Symbolic names of the ringchat bundles a node is provisioned with, in dependency order. The tree
     * topology ({@link #TREE_TOPOLOGY_BUNDLE}) is not among them: a node starts with the ring only.
     */
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
