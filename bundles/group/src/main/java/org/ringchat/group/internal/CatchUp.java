package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.Member;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.spi.Ring;
import org.ringchat.state.log.StateOp;

/**
 * Fetching what this member lacks of a group from another member, and answering such requests: the
 * asker names the heads of what it holds completely, the answer brings the missing state ops and
 * messages batch by batch. One catch-up per group at a time; a member that does not answer is left for
 * the next one on the ring.
 */
final class CatchUp {

    private static final System.Logger LOG = System.getLogger(CatchUp.class.getName());
    /**
     * How long a message's missing parents may still be on their way (messages take different paths
     * round the group) before this member asks a peer for them.
     */
    private static final Duration MISSING_PARENTS_GRACE = Duration.ofSeconds(1);

    private final PeerId self;
    private final Groups groups;
    private final MessageIntake intake;
    private final MessageHistory history;
    private final Dissemination dissemination;
    private final PeerFrames frames;
    private final EngineLoop loop;
    private final Events events;
    private final Supplier<Duration> answerTimeout;
    /** The catch-up under way, per group. */
    private final Map<GroupId, Sync> syncs = new HashMap<>();
    /** Groups whose check for missing parents is due ({@link #MISSING_PARENTS_GRACE}). */
    private final Set<GroupId> parentsCheckDue = new HashSet<>();
    private Runnable stateCaughtUp = () -> { };

    /** One catch-up: from whom, how far it got. */
    private static final class Sync {
        final PeerId peer;
        int received;
        /** Whether this catch-up brought state changes: the neighbours may have changed. */
        boolean changedState;
        Scheduler.Timer stall = () -> { };

        Sync(PeerId peer) {
            this.peer = peer;
        }
    }

    CatchUp(PeerId self, Groups groups, MessageIntake intake, MessageHistory history, Dissemination dissemination,
            PeerFrames frames, EngineLoop loop, Events events, Supplier<Duration> answerTimeout) {
        this.self = self;
        this.groups = groups;
        this.intake = intake;
        this.history = history;
        this.dissemination = dissemination;
        this.frames = frames;
        this.loop = loop;
        this.events = events;
        this.answerTimeout = answerTimeout;
    }

    /** Sets what to do after a catch-up that changed a group's state (tell the new neighbours this node is here). */
    void onStateCaughtUp(Runnable action) {
        stateCaughtUp = action;
    }

    /** Asks a member for every message and state op this one lacks, unless a catch-up of the group is under way. */
    void startSync(Group group, PeerId peer) {
        GroupId id = group.info.id();
        if (syncs.containsKey(id)) {
            return;
        }
        syncs.put(id, new Sync(peer));
        requestNextBatch(group);
    }

    /**
     * A message whose record in the log was found damaged while the node runs: it is forgotten, so that it
     * is missing as after a start with that damage, and fetched again at once from the member after this
     * one on the ring (after the reader that found it is done); or, if a catch-up of the group is under way
     * and its request named the message as held, by another right after it.
     */
    void refetch(MessageRecord damaged) {
        loop.execute(() -> {
            for (Group group : groups.all()) {
                Ring ring = dissemination.ring(group.info.id());
                if (group.graph.get(damaged.id()) == damaged && ring != null && ring.size() > 1) {
                    group.graph.forget(damaged.id());
                    startSync(group, ring.after(self, 1));
                    syncIfStillIncomplete(group, ring.after(self, 1));
                }
            }
        }, () -> { });
    }

    /**
     * Catches up from a peer if, a moment from now, the parents missing now are still missing. Under load most
     * missing parents are merely still on their way, and a catch-up would only fetch them a second time.
     */
    void syncIfStillIncomplete(Group group, PeerId peer) {
        GroupId id = group.info.id();
        if (!parentsCheckDue.add(id)) {
            return;
        }
        // Under a steady stream newer messages always wait for parents on their way, so the graph is hardly
        // ever complete: what counts is whether the parents awaited now are still awaited then.
        Set<MessageId> awaited = group.graph.awaitedParents();
        syncLater(group, peer, () -> {
            parentsCheckDue.remove(id);
            if (group.graph.awaitsAnyOf(awaited)) {
                return true;
            }
            if (!group.graph.isComplete() && groups.isCurrent(group)) {
                syncIfStillIncomplete(group, peer); // the parents awaited since, a moment from now
            }
            return false;
        });
    }

    /** Catches up from a peer {@link #MISSING_PARENTS_GRACE} from now, if the group still needs it then. */
    private void syncLater(Group group, PeerId peer, BooleanSupplier stillNeeded) {
        loop.schedule(MISSING_PARENTS_GRACE.toMillis(), () -> {
            if (stillNeeded.getAsBoolean() && groups.isCurrent(group)) {
                startSync(group, peer);
            }
        });
    }

    private void requestNextBatch(Group group) {
        Sync sync = syncs.get(group.info.id());
        Optional<Member> member = group.info.member(sync.peer);
        if (member.isEmpty()) {
            syncs.remove(group.info.id());
            return;
        }
        byte[] body = new SyncRequest(group.info.id(), group.log.heads().stream().limit(Limits.MAX_SYNC_HEADS).toList(),
                group.graph.syncPoints(Limits.MAX_SYNC_HEADS)).encode();
        sync.stall = loop.schedule(answerTimeout.get().toMillis(), () -> abandon(group, sync, "no answer"));
        frames.send(member.get().address(), FrameType.SYNC_REQUEST, body).whenComplete((ok, error) -> {
            if (error != null) {
                loop.execute(() -> abandon(group, sync, Errors.rootMessage(error)), () -> { });
            }
        });
    }

    private void abandon(Group group, Sync sync, String reason) {
        if (syncs.get(group.info.id()) != sync) {
            return;
        }
        sync.stall.cancel();
        syncs.remove(group.info.id());
        PeerId peer = sync.peer;
        LOG.log(INFO, "could not catch up on ''{0}'' from {1}: {2}", group.info.name(), peer.shortText(), reason);
        // Try the member after it on the ring, if there is one that is not this one.
        Ring ring = dissemination.ring(group.info.id());
        if (ring != null && ring.contains(peer)) {
            PeerId next = ring.after(peer, 1);
            if (!next.equals(self) && ring.distance(self, next) > ring.distance(self, peer)) {
                startSync(group, next);
            }
        }
    }

    /**
     * A member asks for what it lacks: the state ops and messages after the heads it names, as fit one frame.
     * A former member gets the state ops only, which tell it that it is no longer a member.
     */
    void onRequest(PeerId from, SyncRequest request) {
        Group group = groups.get(request.group());
        Optional<Member> former = group == null || group.info.isMember(from) ? Optional.empty()
                : Groups.memberOf(group, from);
        if (former.isPresent()) {
            LOG.log(INFO, "told {0} that it is no longer a member of ''{1}''", from.shortText(), group.info.name());
            List<StateOp> ops = opsSince(group, request, frames.maxFrameSize() / 2);
            frames.send(former.get().address(), FrameType.SYNC_BATCH,
                    new SyncBatch(group.info.id(), ops, 0, List.of()).encode());
            return;
        }
        if (group == null || !group.info.isMember(from)) {
            LOG.log(WARNING, "rejected catch-up request from {0}: not a member of its group", from);
            return;
        }
        int budget = frames.maxFrameSize() / 2;
        List<StateOp> ops = opsSince(group, request, budget);
        int size = ops.stream().mapToInt(op -> op.encode().length + 2).sum();
        List<MessageRecord> missing = group.graph.missingFor(request.messageHeads());
        List<SignedMessage> batch = new ArrayList<>();
        int sent = 0;
        for (MessageRecord record : missing) {
            // Read from the log one by one until the frame is full; a damaged one is left for another member.
            Optional<SignedMessage> message = history.body(record);
            int length = message.map(SignedMessage::encodedLength).orElse(0);
            if (size + length > budget || batch.size() == SyncBatch.MAX_MESSAGES) {
                break;
            }
            message.ifPresent(batch::add);
            size += length;
            sent++;
        }
        frames.sendToMember(group.info, from, FrameType.SYNC_BATCH,
                new SyncBatch(group.info.id(), ops, missing.size() - sent, batch).encode());
        if (holdsMore(group, request)) {
            // The asker holds messages this member lacks: catch up from it in turn, unless they were only
            // on their way here.
            syncLater(group, from, () -> holdsMore(group, request));
        }
    }

    /** The state ops after the asker's heads, as many as fit the budget of bytes. */
    private static List<StateOp> opsSince(Group group, SyncRequest request, int budget) {
        int size = 0;
        List<StateOp> ops = new ArrayList<>();
        for (StateOp op : group.log.since(request.stateHeads())) {
            int length = op.encode().length + 2;
            if (size + length > budget || ops.size() == OpsCodec.MAX_OPS) {
                break;
            }
            ops.add(op);
            size += length;
        }
        return ops;
    }

    /** Whether the asker of a catch-up names messages or state changes this member lacks. */
    private static boolean holdsMore(Group group, SyncRequest request) {
        return request.messageHeads().stream().anyMatch(h -> !group.graph.contains(h))
                || request.stateHeads().stream().anyMatch(h -> !group.log.contains(h));
    }

    /** A batch answering this member's request: take it, and ask for the next while more remain. */
    void onBatch(PeerId from, SyncBatch batch) {
        Group group = groups.get(batch.group());
        Sync sync = group == null ? null : syncs.get(batch.group());
        if (sync == null || !from.equals(sync.peer)) {
            LOG.log(DEBUG, "ignored a catch-up batch from {0}: not asked for", from);
            return;
        }
        sync.stall.cancel();
        sync.changedState |= !batch.ops().isEmpty();
        groups.apply(group, batch.ops(), from);
        if (!groups.isCurrent(group)) {
            syncs.remove(batch.group());
            return;
        }
        sync.received += intake.admitCaughtUp(group, batch.messages(), from);
        int received = sync.received;
        long total = received + batch.remaining();
        GroupInfo info = group.info;
        if (total > 0) {
            // Anti-entropy asks every few seconds; only a catch-up that brings something is news.
            events.fire(l -> l.catchingUp(info, received, total));
        }
        if (batch.remaining() > 0 && !(batch.messages().isEmpty() && batch.ops().isEmpty())) {
            requestNextBatch(group);
        } else {
            syncs.remove(batch.group());
            if (sync.changedState) {
                stateCaughtUp.run();
            }
            if (received > 0) {
                LOG.log(INFO, "caught up on ''{0}'': {1} messages from {2}", info.name(), received, from.shortText());
            }
        }
    }
}
