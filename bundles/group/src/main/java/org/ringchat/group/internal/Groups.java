package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.Member;
import org.ringchat.api.PeerId;
import org.ringchat.api.RingchatException;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.spi.Ring;
import org.ringchat.spi.StateStore;
import org.ringchat.state.log.AddResult;
import org.ringchat.state.log.Change;
import org.ringchat.state.log.InvalidOpException;
import org.ringchat.state.log.StateLog;
import org.ringchat.state.log.StateOp;
import org.ringchat.wire.MalformedInputException;

/**
 * The groups this node is in and their state: each group's signed state log, what it folds to, where
 * its members stand on the ring and where to reach them. State ops from peers and this node's own changes
 * come in here; whoever depends on a group's state hears of each change.
 */
final class Groups {

    private static final System.Logger LOG = System.getLogger(Groups.class.getName());
    private static final String GROUPS_MAP = "groups";

    private final NodeIdentity identity;
    private final PeerId self;
    private final StateStore store;
    private final StateStore.StoreMap groupsMap;
    private final Dissemination dissemination;
    private final MessageHistory history;
    private final PeerFrames frames;
    private final CommitTurn turn;
    private final Events events;
    private final EngineLoop loop;
    private final PeerDirectory directory;
    private final Map<GroupId, Group> groups = new HashMap<>();
    /** Groups this node was removed from or left: their history stays readable, nothing more. */
    private final Map<GroupId, Group> former = new HashMap<>();
    private final List<Consumer<Group>> stateChanged = new ArrayList<>();
    private BiConsumer<Group, PeerId> missingState = (group, peer) -> { };

    Groups(NodeIdentity identity, StateStore store, Dissemination dissemination, MessageHistory history,
           PeerDirectory directory, PeerFrames frames, CommitTurn turn, Events events, EngineLoop loop) {
        this.identity = identity;
        this.self = identity.peerId();
        this.store = store;
        this.groupsMap = store.map(GROUPS_MAP);
        this.dissemination = dissemination;
        this.history = history;
        this.directory = directory;
        this.frames = frames;
        this.turn = turn;
        this.events = events;
        this.loop = loop;
    }

    /** Adds a step that runs whenever a group's state changed (in the order added); the group may be left. */
    void onStateChanged(Consumer<Group> step) {
        stateChanged.add(step);
    }

    /** Sets what to do when a peer sent state ops whose parents this node lacks: catch up from it. */
    void onMissingState(BiConsumer<Group, PeerId> catchUp) {
        missingState = catchUp;
    }

    Group get(GroupId id) {
        return groups.get(id);
    }

    /** The group, if this node is in it and {@code peer} is one of its members; null otherwise. */
    Group sharedWith(GroupId id, PeerId peer) {
        Group group = groups.get(id);
        return group != null && group.info.isMember(peer) ? group : null;
    }

    Group require(GroupId id) {
        Group group = groups.get(id);
        if (group == null) {
            Group left = former.get(id);
            throw new RingchatException(left == null ? "this node is not in group " + id
                    : "this node is no longer a member of '" + left.info.name() + "'");
        }
        return group;
    }

    /** A group this node is in, or was in: its history can be read. */
    Group readable(GroupId id) {
        Group left = former.get(id);
        return left != null ? left : require(id);
    }

    /** A group this node is in and may change. */
    Group owned(GroupId id) {
        Group group = require(id);
        if (!group.info.isOwner(self)) {
            throw new RingchatException("only an owner can change '" + group.info.name() + "'");
        }
        return group;
    }

    /** Whether the group is still one of this node's (it was not left meanwhile). */
    boolean isCurrent(Group group) {
        return groups.get(group.info.id()) == group;
    }

    Collection<Group> all() {
        return groups.values();
    }

    /** The groups this node was removed from or left, whose history stays readable. */
    Collection<Group> former() {
        return former.values();
    }

    /** Starts a group with its first ops (the genesis, or an invitation's log). */
    Group join(GroupId id, List<StateOp> ops, PeerId from) {
        Group left = former.remove(id);
        Group group = left != null ? left : open(id);
        groups.put(id, group);
        groupsMap.put(id.toString(), new byte[0]);
        apply(group, ops, from);
        return group;
    }

    /** Reads the stored groups with their state and history. */
    void load() {
        groupsMap.forEach((key, marker) -> {
            try {
                GroupId id = GroupId.parse(key);
                Group group = open(id);
                group.ops.forEach((hash, bytes) -> {
                    try {
                        group.log.add(StateOp.decode(bytes));
                    } catch (InvalidOpException e) {
                        LOG.log(WARNING, "skipped unreadable stored state change {0}: {1}", hash, e.getMessage());
                    }
                });
                GroupInfo info = group.log.state().map(state -> state.toGroupInfo()).orElse(null);
                if (info == null) {
                    LOG.log(WARNING, "skipped stored group {0}: it has no state", key);
                    return;
                }
                group.info = info;
                history.load(group);
                (info.isMember(self) ? groups : former).put(id, group);
            } catch (MalformedInputException | IllegalArgumentException e) {
                LOG.log(WARNING, "skipped unreadable stored group {0}: {1}", key, e.getMessage());
            }
        });
        groups.values().forEach(this::placeOnRing);
        LOG.log(INFO, "loaded {0} groups", groups.size());
    }

    /**
     * Adds state operations to a group's log, stores what it accepts and refreshes the state. Operations
     * the log rejects are logged with the sender; missing parents start a catch-up from the sender.
     */
    void apply(Group group, List<StateOp> ops, PeerId from) {
        List<StateOp> accepted = new ArrayList<>();
        boolean missingParents = false;
        for (StateOp op : ops) {
            AddResult result = group.log.add(op);
            accepted.addAll(result.accepted());
            if (result.status() == AddResult.Status.REJECTED) {
                LOG.log(WARNING, "rejected state change {0} from {1}: {2}", op.hash().shortText(), from.shortText(),
                        result.reason());
            }
            result.rejected().forEach(r -> LOG.log(WARNING, "rejected state change {0} from {1}: {2}",
                    r.op().hash().shortText(), from.shortText(), r.reason()));
            missingParents |= result.status() == AddResult.Status.MISSING_PARENTS;
        }
        if (missingParents && !from.equals(self)) {
            missingState.accept(group, from);
        }
        if (accepted.isEmpty()) {
            return;
        }
        boolean wasMember = group.info != null && isCurrent(group);
        store(group, accepted);
        refresh(group);
        if (wasMember && !isCurrent(group)) {
            GroupInfo info = group.info;
            events.fire(l -> l.removedFrom(info));
        }
    }

    /** State changes of a group from one of its members. */
    void onState(PeerId from, OpsCodec.GroupOps update) {
        Group group = sharedWith(update.group(), from);
        if (group == null) {
            LOG.log(WARNING, "rejected state changes of group {0} from {1}: not a member of it", update.group(), from);
            return;
        }
        apply(group, update.ops(), from);
    }

    /** Makes a change of this node's own, stores it and passes it to every member it concerns. */
    GroupInfo change(Group group, Change change) {
        List<PeerId> before = group.memberIds();
        StateOp op = StateOp.sign(identity, group.log.groupId(), group.log.heads(), loop.nowMillis(), change);
        AddResult result = group.log.add(op);
        if (result.status() != AddResult.Status.ACCEPTED) {
            throw new RingchatException("the change was refused: " + result.reason());
        }
        store(group, result.accepted());
        sendOps(group, result.accepted(), before.stream().filter(p -> !p.equals(self)).toList());
        refresh(group);
        return group.info;
    }

    /** Passes new state operations to the given members (also to those that just left or were removed). */
    void sendOps(Group group, List<StateOp> ops, List<PeerId> to) {
        byte[] body = new OpsCodec.GroupOps(group.log.groupId(), ops).encode();
        for (PeerId peer : to) {
            group.info.member(peer).or(() -> memberOf(group, peer))
                    .ifPresent(m -> frames.send(m.address(), FrameType.STATE, body));
        }
    }

    private void store(Group group, List<StateOp> accepted) {
        accepted.forEach(op -> group.ops.put(op.hash().toString(), op.encode()));
        turn.commit();
    }

    private void refresh(Group group) {
        GroupInfo info = group.log.state().orElseThrow().toGroupInfo();
        group.info = info;
        boolean stillMember = info.isMember(self);
        if (!stillMember && groups.remove(info.id()) != null) {
            former.put(info.id(), group);
        }
        placeOnRing(group);
        stateChanged.forEach(step -> step.accept(group));
        events.fire(l -> l.groupUpdated(info));
        if (!stillMember) {
            LOG.log(INFO, "this node is no longer a member of ''{0}''", info.name());
        }
    }

    /** A member as the state's log last listed it, also after it left or was removed. */
    static Optional<Member> memberOf(Group group, PeerId peer) {
        return group.log.ops().stream()
                .map(StateOp::change)
                .filter(c -> c instanceof Change.AddMember add && add.address().peerId().equals(peer))
                .map(c -> new Member(((Change.AddMember) c).address(), false))
                .reduce((first, second) -> second);
    }

    /** Tells the broadcast where the group's members now stand, and where to reach them. */
    private void placeOnRing(Group group) {
        directory.update(groups.values().stream().map(g -> g.info).toList());
        GroupId id = group.info.id();
        dissemination.setRing(id, isCurrent(group) ? Ring.of(id, group.memberIds()) : null);
    }

    private Group open(GroupId id) {
        return new Group(new StateLog(id, identity), store.map("ops/" + id));
    }
}
