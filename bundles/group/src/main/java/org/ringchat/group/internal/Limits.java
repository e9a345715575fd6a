package org.ringchat.group.internal;

import org.ringchat.api.GroupChat;

/** Bounds on what a peer may send; anything beyond them is rejected as malformed. */
final class Limits {

    static final int MAX_GROUP_NAME_BYTES = 200;
    static final int MAX_MEMBERS = 1024;
    static final int MAX_HOST_BYTES = 255;
    static final int MAX_TEXT_BYTES = GroupChat.MAX_TEXT_BYTES;
    static final int MAX_PARENTS = 16;
    /** The state heads a message names: as many as a state op may have parents. */
    static final int MAX_STATE_HEADS = 64;
    /** Heads a member names when it asks another to fill in what it misses. */
    static final int MAX_SYNC_HEADS = 64;
    /** The depth of a message batch's Merkle tree: at most 256 messages share a signature. */
    static final int MAX_BATCH_DEPTH = 8;
    /** The same in scheme 2, of earlier versions: at most 64. */
    static final int MAX_CONTENT_BATCH_DEPTH = 6;

    private Limits() {
    }
}
