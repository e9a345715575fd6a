package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.WARNING;

import java.util.Collections;
import java.util.Set;

import org.ringchat.api.PeerId;

/**
 * Refuses the broadcast frames of earlier versions (CHAT, CHAT_ACK, PART_DONE and CONFIRM, acknowledged per
 * message per hop), which this version no longer speaks: one warning per peer says so, not one per frame.
 */
final class EarlierVersions {

    private static final System.Logger LOG = System.getLogger(EarlierVersions.class.getName());
    /** Peers already warned about; a peer forgotten is warned about once more. */
    private static final int REMEMBERED_PEERS = 1024;

    private final Set<PeerId> warned = Collections.newSetFromMap(Bounded.oldestOut(REMEMBERED_PEERS));

    void refuse(PeerId from, int type) {
        if (warned.add(from)) {
            LOG.log(WARNING, "refused {0} from {1}: that node runs an earlier version, whose broadcast this version "
                    + "no longer speaks (acknowledgements per range, docs/PROTOCOL.md); it must be upgraded to take part",
                    FrameType.name(type), from);
        }
    }
}
