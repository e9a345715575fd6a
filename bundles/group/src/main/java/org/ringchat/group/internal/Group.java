package org.ringchat.group.internal;

import java.util.List;

import org.ringchat.api.GroupInfo;
import org.ringchat.api.Member;
import org.ringchat.api.PeerId;
import org.ringchat.spi.StateStore;
import org.ringchat.state.log.StateLog;

/** What this node holds of one group: its state log and the state it folds to, and its history. */
final class Group {

    final StateLog log;
    /** The state the log folds to; refreshed whenever the log changes. */
    GroupInfo info;
    /** The state ops as stored, by hash. */
    final StateStore.StoreMap ops;
    /** The history's messages as this node keeps them in memory; their bodies are in the message log. */
    final MessageGraph graph = new MessageGraph();

    Group(StateLog log, StateStore.StoreMap ops) {
        this.log = log;
        this.ops = ops;
        log.state().ifPresent(state -> info = state.toGroupInfo());
    }

    List<PeerId> memberIds() {
        return info.members().stream().map(Member::peerId).toList();
    }
}
