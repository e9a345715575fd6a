package org.ringchat.group.internal;

import java.util.List;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;

/**
 * The body of a HOLDS frame: a member tells the author of these messages that it holds them, so that an
 * author that counted it missing (it was away, or its acknowledgement came too late) counts it after all.
 */
record Holds(GroupId group, List<MessageId> ids) {

    /** The most messages one frame names: a catch-up batch's worth. */
    static final int MAX_IDS = SyncBatch.MAX_MESSAGES;

    Holds {
        ids = MessageIdsBody.checked("HOLDS", ids, MAX_IDS);
    }

    byte[] encode() {
        return MessageIdsBody.encode(group, ids);
    }

    static Holds decode(byte[] body) {
        return MessageIdsBody.decode("HOLDS", body, MAX_IDS, Holds::new);
    }
}
