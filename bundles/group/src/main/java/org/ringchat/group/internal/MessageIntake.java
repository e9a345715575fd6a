package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.ringchat.api.Delivery;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;

/**
 * Messages from peers, by broadcast or catch-up: each is checked (group, bound ID, signature, the author's
 * membership in the state it names, its ancestry, and by {@link RemovedAuthors} against the current state)
 * and, if new and good, added to the history. A message naming state this member lacks is parked until
 * that state arrives.
 */
final class MessageIntake {

    private static final System.Logger LOG = System.getLogger(MessageIntake.class.getName());
    private static final int MAX_PARKED_PER_GROUP = 1000;

    /** What became of a message. */
    enum Admission { NEW, DUPLICATE, HELD, WITHHELD, REJECTED }

    private final PeerId self;
    private final Groups groups;
    private final MessageVerifier verifier;
    private final MessageHistory history;
    private final PeerFrames frames;
    private final RemovedAuthors removedAuthors;
    /** Messages by authors this member does not know yet, per group, held until a state names them. */
    private final Map<GroupId, List<SignedMessage>> parked = new HashMap<>();
    private BiConsumer<Group, PeerId> unknownState = (group, peer) -> { };
    private BiConsumer<Group, PeerId> missingParents = (group, peer) -> { };
    private Function<byte[], SignedMessage> decoder = SignedMessage::decode;

    MessageIntake(PeerId self, Groups groups, MessageVerifier verifier, MessageHistory history, PeerFrames frames) {
        this.self = self;
        this.groups = groups;
        this.verifier = verifier;
        this.history = history;
        this.frames = frames;
        this.removedAuthors = new RemovedAuthors(history::body);
    }

    /** Sets what to do when a peer's message names state this member lacks: fetch it from that peer. */
    void onUnknownState(BiConsumer<Group, PeerId> fetch) {
        unknownState = fetch;
    }

    /** Sets what to do when a message follows messages this member lacks: fetch them, unless they are on their way. */
    void onMissingParents(BiConsumer<Group, PeerId> fetchLater) {
        missingParents = fetchLater;
    }

    /** Sets how the message of a CHAT is decoded: as decoded ahead, off the engine's thread. */
    void decodeWith(Function<byte[], SignedMessage> decodedAhead) {
        decoder = decodedAhead;
    }

    /** A message brought by the broadcast (a CHAT frame). */
    Dissemination.Admission admitBroadcast(PeerId from, GroupId groupId, MessageId id, byte[] payload) {
        Group group = groups.get(groupId);
        if (group == null) {
            LOG.log(WARNING, "rejected message for unknown group {0} from {1}", groupId, from);
            return Dissemination.Admission.REJECTED;
        }
        if (!group.info.isMember(from)) {
            LOG.log(WARNING, "rejected message in ''{0}'' relayed by {1}: not a member", group.info.name(), from);
            return Dissemination.Admission.REJECTED;
        }
        SignedMessage message = decoder.apply(payload);
        if (!message.id.equals(id)) {
            LOG.log(WARNING, "rejected message {0} from {1}: its frame names {2}", message.id, from, id);
            return Dissemination.Admission.REJECTED;
        }
        if (message.author.equals(self) && group.graph.contains(message.id)) {
            return Dissemination.Admission.DUPLICATE;
        }
        Admission admission = admit(group, message, from, false);
        if ((admission == Admission.NEW || admission == Admission.HELD) && !group.graph.hasParentsOf(message)) {
            // It follows messages this member never got: it was away, or they are still on their way.
            missingParents.accept(group, from);
        }
        return switch (admission) {
            case NEW, HELD, WITHHELD -> Dissemination.Admission.NEW;
            case DUPLICATE -> Dissemination.Admission.DUPLICATE;
            case REJECTED -> Dissemination.Admission.REJECTED;
        };
    }

    /**
     * Checks a message from a peer and, if it is new and good, adds it to the group's history. A message
     * from before IDs were bound is taken in a catch-up only: it is history, which no broadcast brings.
     */
    private Admission admit(Group group, SignedMessage message, PeerId from, boolean caughtUp) {
        if (!message.group.equals(group.info.id())) {
            LOG.log(WARNING, "rejected message {0} from {1}: it belongs to another group", message.id, from);
            return Admission.REJECTED;
        }
        if (!message.hasBoundId() && !(caughtUp && message.hasLegacyId())) {
            // Checked before duplicates: a message under another's ID must not pass for it.
            LOG.log(WARNING, "rejected message {0} in ''{1}'' from {2}: its ID is not the one its author and content "
                    + "make{3}", message.id, group.info.name(), from, message.hasLegacyId()
                    ? " (a message from before IDs were bound comes by catch-up only)" : "");
            return Admission.REJECTED;
        }
        List<SignedMessage> held = parked.getOrDefault(group.info.id(), List.of());
        if (group.graph.contains(message.id) || isParked(held, message.id) || removedAuthors.isWithheld(group, message.id)) {
            return Admission.DUPLICATE;
        }
        if (!verifier.verify(message)) {
            LOG.log(WARNING, "rejected message {0} in ''{1}'' from {2}: bad signature", message.id,
                    group.info.name(), from);
            return Admission.REJECTED;
        }
        Optional<Boolean> authorIsMember = authorWasMember(group, message);
        if (authorIsMember.isEmpty()) {
            if (message.stateHeads.isEmpty() || held.size() >= MAX_PARKED_PER_GROUP) {
                LOG.log(WARNING, "rejected message {0} in ''{1}'': it names no state this member can hold",
                        message.id, group.info.name());
                return Admission.REJECTED;
            }
            // The author knows state changes this member lacks (it may just have been invited): hold the
            // message and fetch them.
            parked.computeIfAbsent(group.info.id(), id -> new ArrayList<>()).add(message);
            unknownState.accept(group, from);
            return Admission.HELD;
        }
        if (!authorIsMember.get()) {
            LOG.log(WARNING, "rejected message {0} in ''{1}'': its author {2} is not a member as of the state it names",
                    message.id, group.info.name(), message.author.shortText());
            return Admission.REJECTED;
        }
        return take(group, message);
    }

    /** Adds a message whose author was a member in the state it names, unless its author has been removed since. */
    private Admission take(Group group, SignedMessage message) {
        if (wouldBeOwnAncestor(group, message)) {
            return Admission.REJECTED;
        }
        return switch (removedAuthors.judge(group, message)) {
            case REWINDS -> {
                LOG.log(WARNING, "rejected message {0} in ''{1}'' by {2}: it names a state older than its author''s "
                        + "previous message did", message.id, group.info.name(), message.author.shortText());
                yield Admission.REJECTED;
            }
            case WITHHOLD -> {
                LOG.log(INFO, "withheld message {0} in ''{1}'': its author {2} has been removed, and no member "
                        + "that had not heard of it took the message", message.id, group.info.name(),
                        message.author.shortText());
                yield Admission.WITHHELD;
            }
            case SHOW -> {
                history.append(group, message, Delivery.Status.RECEIVED, 0);
                for (SignedMessage cited : removedAuthors.shown(group, message)) {
                    MessageRecord withdrawn = group.graph.get(cited.id);
                    if (withdrawn == null) {
                        history.append(group, cited, Delivery.Status.RECEIVED, 0);
                    } else {
                        LOG.log(INFO, "message {0} in ''{1}'' shows again: {2} cites it from before it heard of its "
                                + "author''s removal", cited.id, group.info.name(), message.author.shortText());
                        history.restore(group, withdrawn);
                    }
                }
                yield Admission.NEW;
            }
        };
    }

    /**
     * The state of a group changed: the messages it shows are judged again, so that a message shown
     * before this member heard of its author's removal is withdrawn as members that heard of it first
     * never showed it — unless a member that had not heard of it cited it, or the op that removed its
     * author names it; a withheld message that such an op names shows now.
     */
    void membersChanged(Group group) {
        if (!groups.isCurrent(group)) {
            return; // a member removed keeps its history as it was
        }
        RemovedAuthors.Rejudged rejudged = removedAuthors.rejudge(group);
        for (MessageRecord record : rejudged.withdrawn()) {
            LOG.log(INFO, "withdrew message {0} in ''{1}'': its author {2} has been removed, and no member that had "
                    + "not heard of it took the message", record.id(), group.info.name(), record.author.shortText());
            history.withdraw(group, record);
        }
        rejudged.restored().forEach(record -> history.restore(group, record));
        rejudged.named().forEach(message -> take(group, message));
    }

    /**
     * Messages of a catch-up batch. Their authors hear that this member holds the new ones (HOLDS): it
     * missed them on their way round, so an author may have counted it missing.
     *
     * @return how many were new
     */
    int admitCaughtUp(Group group, List<SignedMessage> messages, PeerId from) {
        Map<PeerId, List<MessageId>> byAuthor = new HashMap<>();
        int added = 0;
        for (SignedMessage message : messages) {
            if (admit(group, message, from, true) == Admission.NEW) {
                added++;
                if (!message.author.equals(self)) {
                    byAuthor.computeIfAbsent(message.author, a -> new ArrayList<>()).add(message.id);
                }
            }
        }
        byAuthor.forEach((author, ids) -> tellHeld(group, author, ids));
        return added;
    }

    private void tellHeld(Group group, PeerId author, List<MessageId> ids) {
        frames.sendToMember(group.info, author, FrameType.HOLDS, new Holds(group.info.id(), ids).encode());
    }

    /** Takes the parked messages whose state is now known: into the history, or out for good. */
    void releaseParked(Group group) {
        List<SignedMessage> held = parked.remove(group.info.id());
        if (held == null || !groups.isCurrent(group)) {
            return;
        }
        List<SignedMessage> still = new ArrayList<>();
        for (SignedMessage message : held) {
            Optional<Boolean> authorIsMember = authorWasMember(group, message);
            if (authorIsMember.isEmpty()) {
                still.add(message);
            } else if (authorIsMember.get()) {
                take(group, message);
            } else {
                LOG.log(WARNING, "dropped held message {0} in ''{1}'': its author {2} is not a member as of the "
                        + "state it names", message.id, group.info.name(), message.author.shortText());
            }
        }
        if (!still.isEmpty()) {
            parked.put(group.info.id(), still);
        }
    }

    /**
     * Another member's message went round the group: its author said so. News is the first confirmation,
     * or one with fewer missing; a member listed as missing that holds the message tells the author.
     */
    Dissemination.Confirmation confirmed(GroupId groupId, MessageId id, Dissemination.Missing missing) {
        Group group = groups.get(groupId);
        MessageRecord record = group == null ? null : group.graph.get(id);
        if (record == null) {
            return Dissemination.Confirmation.NOT_HELD;
        }
        if (record.author.equals(self)) {
            return Dissemination.Confirmation.KNOWN;
        }
        Dissemination.Confirmation seen = Dissemination.Confirmation.of(
                record.status == Delivery.Status.CONFIRMED ? record.missedTotal() : -1, missing.total());
        if (seen == Dissemination.Confirmation.NEWS) {
            record.confirm(missing);
            history.statusChanged(group, record);
            if (missing.listed().contains(self)) {
                tellHeld(group, record.author, List.of(id));
            }
        }
        return seen;
    }

    private static boolean isParked(List<SignedMessage> held, MessageId id) {
        for (SignedMessage message : held) {
            if (message.id.equals(id)) {
                return true;
            }
        }
        return false;
    }

    private static boolean wouldBeOwnAncestor(Group group, SignedMessage message) {
        if (!group.graph.wouldBeOwnAncestor(message)) {
            return false;
        }
        LOG.log(WARNING, "rejected message {0} in ''{1}'' by {2}: it names itself among its ancestors", message.id,
                group.info.name(), message.author.shortText());
        return true;
    }

    /** Whether the author is a member in the state the message names; empty while this member lacks that state. */
    private static Optional<Boolean> authorWasMember(Group group, SignedMessage message) {
        return group.log.stateAt(message.stateHeads).map(state -> state.isMember(message.author));
    }
}
