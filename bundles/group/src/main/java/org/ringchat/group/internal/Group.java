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
    /** The history as stored, by sequence ({@link MessageHistory}). */
    final StateStore.StoreMap messages;
    final MessageGraph graph = new MessageGraph();
    long nextSeq;

    Group(StateLog log, StateStore.StoreMap ops, StateStore.StoreMap messages) {
        this.log = log;
        this.ops = ops;
        this.messages = messages;
        log.state().ifPresent(state -> info = state.toGroupInfo());
    }

    List<PeerId> memberIds() {
        return info.members().stream().map(Member::peerId).toList();
    }
}
