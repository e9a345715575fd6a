package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.api.RingchatException;
import org.ringchat.spi.NodeIdentity;

/**
 * This node's own messages: written as drafts, signed together at the end of the turn (one Ed25519
 * signature for up to {@value SignedMessage#MAX_BATCH}, each message still verifiable on its own), stored,
 * offered to the group, and followed until the group has them; offered again while nobody takes them.
 */
final class Outbox {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());
    private static final int MAX_HELD_MEANWHILE = 10_000;

    private final NodeIdentity identity;
    private final PeerId self;
    private final Groups groups;
    private final MessageHistory history;
    private final Dissemination dissemination;
    private final CommitTurn turn;
    private final EngineLoop loop;
    private final Supplier<Duration> retryInterval;
    /** Messages written since the last commit, to be signed together just before it. */
    private final List<Draft> written = new ArrayList<>();
    /** This node's messages whose sender waits for the first acknowledgement. */
    private final Map<MessageId, CompletableFuture<ChatMessage>> sending = new HashMap<>();
    /** Members known to hold messages whose broadcast is still under way: not missing, whatever it reports. */
    private final Map<MessageId, Set<PeerId>> heldMeanwhile = Bounded.oldestOut(MAX_HELD_MEANWHILE);

    private record Draft(Group group, SignedMessage.Draft draft, CompletableFuture<ChatMessage> acknowledged) {
    }

    Outbox(NodeIdentity identity, Groups groups, MessageHistory history, Dissemination dissemination, CommitTurn turn,
           EngineLoop loop, Supplier<Duration> retryInterval) {
        this.identity = identity;
        this.self = identity.peerId();
        this.groups = groups;
        this.history = history;
        this.dissemination = dissemination;
        this.turn = turn;
        this.loop = loop;
        this.retryInterval = retryInterval;
        turn.beforeCommit(this::signWritten);
    }

    /** Writes a message; it is signed, stored and offered with the others written before the next commit. */
    void write(GroupId groupId, String text, CompletableFuture<ChatMessage> acknowledged) {
        Group group = groups.require(groupId);
        // The author's own order holds within a batch: each message follows the one written before it.
        List<MessageId> parents = written.stream().filter(p -> p.group() == group).reduce((first, second) -> second)
                .map(p -> List.of(p.draft().id()))
                .orElseGet(() -> group.graph.parentsForNewMessage(Limits.MAX_PARENTS, self));
        SignedMessage.Draft draft = SignedMessage.Draft.of(identity.publicKey(), groupId, parents,
                Instant.ofEpochMilli(loop.nowMillis()), group.log.heads().stream().limit(Limits.MAX_STATE_HEADS).toList(),
                text);
        written.add(new Draft(group, draft, acknowledged));
        turn.due();
    }

    /**
     * Signs, stores and offers the messages written since the last commit. A turn that wrote more than a batch
     * ({@value SignedMessage#MAX_BATCH}) signs whole batches only and leaves the rest to the next turn, which the
     * messages written meanwhile join: every signature costs each member an Ed25519 verification, and a batch of
     * a few messages costs as much as a full one.
     */
    void signWritten() {
        if (written.isEmpty()) {
            return;
        }
        int signing = written.size() <= SignedMessage.MAX_BATCH ? written.size()
                : written.size() - written.size() % SignedMessage.MAX_BATCH;
        List<Draft> batch = List.copyOf(written.subList(0, signing));
        written.subList(0, signing).clear();
        if (!written.isEmpty()) {
            loop.execute(turn::due, () -> { }); // a next turn for the rest, even if nothing else comes
        }
        List<SignedMessage> signed = SignedMessage.signBatch(identity, batch.stream().map(Draft::draft).toList());
        for (int i = 0; i < batch.size(); i++) {
            Draft draft = batch.get(i);
            Group group = draft.group();
            if (!groups.isCurrent(group)) {
                draft.acknowledged().completeExceptionally(new RingchatException(
                        "this node left '" + group.info.name() + "' before the message went out"));
                continue;
            }
            MessageRecord record = history.append(group, signed.get(i), Delivery.Status.PENDING, 1);
            if (group.info.members().size() == 1) {
                record.confirm(Dissemination.Missing.NONE);
                history.statusChanged(group, record);
                ChatMessage snapshot = record.toChatMessage(signed.get(i));
                turn.afterCommit(() -> draft.acknowledged().complete(snapshot));
            } else {
                sending.put(record.id(), draft.acknowledged());
                offer(group, record);
            }
        }
    }

    /** A group's state changed: once this node is no longer in it, its sends into it fail at once. */
    void stateChanged(Group group) {
        if (groups.isCurrent(group)) {
            return;
        }
        RingchatException removed = new RingchatException("this node is no longer a member of '" + group.info.name()
                + "'");
        sending.entrySet().removeIf(waiting -> {
            if (!group.graph.contains(waiting.getKey())) {
                return false;
            }
            waiting.getValue().completeExceptionally(removed);
            return true;
        });
    }

    /** Offers again this node's messages that nobody took yet (before a restart, or while no topology was bound). */
    void offerPending() {
        for (Group group : groups.all()) {
            for (MessageRecord record : group.graph.ordered()) {
                if (record.status == Delivery.Status.PENDING && record.author.equals(self)) {
                    offer(group, record);
                }
            }
        }
    }

    /** A first member took one of this node's messages. */
    void acknowledged(GroupId groupId, MessageId id) {
        MessageRecord record = ownRecord(groupId, id);
        if (record != null && record.status == Delivery.Status.PENDING) {
            record.status = Delivery.Status.ACKNOWLEDGED;
            record.reached = 2;
            history.statusChanged(groups.get(groupId), record);
        }
        completeSend(id, record);
    }

    /** The broadcast of one of this node's messages is over: confirm it to the group, or offer it again later. */
    void completed(GroupId groupId, MessageId id, boolean taken, Dissemination.Missing missing) {
        MessageRecord record = ownRecord(groupId, id);
        if (record == null || record.status == Delivery.Status.CONFIRMED) {
            return;
        }
        Group group = groups.get(groupId);
        if (!taken) {
            Duration retry = retryInterval.get();
            LOG.log(INFO, "no member of ''{0}'' took message {1}; retrying in {2} s", group.info.name(), id,
                    retry.toSeconds());
            loop.schedule(retry.toMillis(), () -> {
                if (groups.isCurrent(group) && record.status != Delivery.Status.CONFIRMED) {
                    offer(group, record);
                }
            });
            return;
        }
        Set<PeerId> holders = heldMeanwhile.remove(id);
        Dissemination.Missing exact = holders == null ? missing : missing.except(holders);
        record.confirm(exact);
        history.statusChanged(group, record);
        completeSend(id, record);
        dissemination.confirm(groupId, id, exact);
    }

    /**
     * A member says it holds some of this node's messages (it got them by catch-up, or its acknowledgement
     * came late): a confirmation that counted it missing is corrected and told to the group again.
     */
    void onHolds(PeerId from, Holds holds) {
        Group group = groups.sharedWith(holds.group(), from);
        if (group == null) {
            // Not worth a warning: a member just added catches up and says so before its addition reaches this
            // node, and it was not among the members of the messages written before it came.
            LOG.log(DEBUG, "ignored HOLDS from {0}: not a member of group {1}", from.shortText(), holds.group());
            return;
        }
        for (MessageId id : holds.ids()) {
            MessageRecord record = ownRecord(holds.group(), id);
            if (record == null) {
                continue;
            }
            if (record.status != Delivery.Status.CONFIRMED) {
                heldMeanwhile.computeIfAbsent(id, k -> new HashSet<>()).add(from);
            } else if (record.missing.contains(from)) {
                Dissemination.Missing corrected = record.missed().except(Set.of(from));
                record.confirm(corrected);
                history.statusChanged(group, record);
                dissemination.confirm(holds.group(), id, corrected);
            }
        }
    }

    private void offer(Group group, MessageRecord record) {
        history.body(record).ifPresent(body -> dissemination.originate(group.info.id(), record.id(), body.encode()));
    }

    private MessageRecord ownRecord(GroupId groupId, MessageId id) {
        Group group = groups.get(groupId);
        MessageRecord record = group == null ? null : group.graph.get(id);
        return record != null && record.author.equals(self) ? record : null;
    }

    private void completeSend(MessageId id, MessageRecord record) {
        CompletableFuture<ChatMessage> waiting = sending.remove(id);
        if (waiting != null && record != null) {
            history.chatMessage(record).ifPresent(snapshot -> turn.afterCommit(() -> waiting.complete(snapshot)));
        }
    }
}
