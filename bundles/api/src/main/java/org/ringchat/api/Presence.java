package org.ringchat.api;

/** Whether a peer is reachable, as far as this node can tell. */
public enum Presence {
    /** It answered lately, or told this node it is back. */
    ONLINE,
    /** It said it was going offline, or could not be reached lately. */
    OFFLINE,
    /** This node has not been in touch with it since it started. */
    UNKNOWN
}
