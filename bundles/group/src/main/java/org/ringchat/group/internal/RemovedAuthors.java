package org.ringchat.group.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.state.log.Change;
import org.ringchat.state.log.GroupState;
import org.ringchat.state.log.OpHash;
import org.ringchat.state.log.StateLog;
import org.ringchat.state.log.StateOp;

/**
 * Removal that holds: a message whose author is no longer a member of the group, in this member's
 * current state, is withheld — neither shown nor cited — unless it is honestly concurrent with the
 * removal: it is the last message of its author that the op which removed it names (a REMOVE_MEMBER,
 * or the author's own LEAVE), or a message shown here cites it and names a state in which its author
 * was still a member (a member that had not heard of the removal took it). So the ancestors of the
 * named message by that author show too: each is cited by the next, from a state before the removal.
 * Matrix calls this soft failure: a message checked against its own state (by {@link MessageIntake})
 * and against the current one (here).
 *
 * <p>Whether a message shows depends on the message graph and the state log alone, not on the order in
 * which they arrived: a withheld message is shown as soon as a shown message cites it so, whichever of
 * the two came first; and a message shown before this member heard of its author's removal is judged
 * again when the removal comes ({@link #rejudge}): if nothing cites it so, it is <em>withdrawn</em>, as
 * members that heard of the removal first never showed it. The withheld messages are kept in memory (at
 * most {@value #MAX_WITHHELD_PER_GROUP} a group, the oldest out); one that is cited later comes again by
 * catch-up, from the member that cited it.
 *
 * <p>Authors also move forward in state: a message naming a state that does not include the one its
 * author's previous message (among its parents) named is refused, so that nobody returns to a state from
 * before its removal.
 */
final class RemovedAuthors {

    private static final int MAX_WITHHELD_PER_GROUP = 1000;
    private static final int MAX_CITATIONS_PER_GROUP = 10_000;

    /** What to do with a message whose author was a member in the state it names. */
    enum Verdict {
        /** Its author is a member, or the message is cited honestly: show it. */
        SHOW,
        /** Its author has been removed: keep it aside until a shown message cites it honestly. */
        WITHHOLD,
        /** It names a state older than its author's previous message did. */
        REWINDS
    }

    /**
     * Messages shown here whose author's removal changes that, withdrawn ones that show again, and
     * withheld ones that an op which came since names: to be taken again.
     */
    record Rejudged(List<MessageRecord> withdrawn, List<MessageRecord> restored, List<SignedMessage> named) {
        private static final Rejudged NOTHING = new Rejudged(List.of(), List.of(), List.of());
    }

    /** What a group's shown messages were last judged by: judged again once it changes. */
    private record Judgement(Set<PeerId> members, Map<MessageId, PeerId> namedAtRemoval) {
    }

    /** The messages named by the ops that ended their authors' membership, by message, and the log's size then. */
    private record NamedAtRemoval(int opCount, Map<MessageId, PeerId> authors) {
    }

    /** A message held here citing one that is not shown here, and the state it names. */
    private record Citation(MessageId by, List<OpHash> state) {
    }

    /** The stored message of a record, read from the message log ({@link MessageHistory#body}). */
    private final Function<MessageRecord, Optional<SignedMessage>> bodies;
    private final Map<GroupId, Map<MessageId, SignedMessage>> withheld = new HashMap<>();
    /** The messages citing a message that is not in the graph here, by the cited message. */
    private final Map<GroupId, Map<MessageId, List<Citation>>> citations = new HashMap<>();
    private final Map<GroupId, Judgement> judgedBy = new HashMap<>();
    private final Map<GroupId, NamedAtRemoval> namedByGroup = new HashMap<>();

    RemovedAuthors(Function<MessageRecord, Optional<SignedMessage>> bodies) {
        this.bodies = bodies;
    }

    Verdict judge(Group group, SignedMessage message) {
        if (rewinds(group, message)) {
            return Verdict.REWINDS;
        }
        if (group.info.isMember(message.author) || isNamedAtRemoval(group, message.id, message.author)
                || isCitedHonestly(group, message)) {
            citationsOf(group).remove(message.id);
            return Verdict.SHOW;
        }
        Map<MessageId, SignedMessage> aside = withheld.computeIfAbsent(group.info.id(),
                id -> Bounded.oldestOut(MAX_WITHHELD_PER_GROUP));
        aside.put(message.id, message);
        return Verdict.WITHHOLD;
    }

    /** Whether the message is withheld here (so that it is a duplicate when it comes again). */
    boolean isWithheld(Group group, MessageId id) {
        return withheld.getOrDefault(group.info.id(), Map.of()).containsKey(id);
    }

    /**
     * A message is shown: remembers what it cites that is not here, and returns the withheld and withdrawn
     * messages it cites honestly, and those they cite in turn, parents first — to be shown now.
     */
    List<SignedMessage> shown(Group group, SignedMessage message) {
        if (citesOnlyShown(group, message)) {
            return List.of(); // as almost every message does
        }
        Map<MessageId, SignedMessage> aside = withheld.getOrDefault(group.info.id(), Map.of());
        List<SignedMessage> released = new ArrayList<>();
        Set<MessageId> showing = new HashSet<>();
        Deque<SignedMessage> todo = new ArrayDeque<>(List.of(message));
        while (!todo.isEmpty()) {
            SignedMessage citing = todo.pop();
            for (MessageId parent : citing.parents) {
                MessageRecord held = group.graph.get(parent);
                Optional<SignedMessage> cited = held == null ? Optional.ofNullable(aside.get(parent))
                        : held.withdrawn && !showing.contains(parent) ? bodies.apply(held) : Optional.empty();
                if (cited.isPresent() && authorWasMember(group, cited.get().author, citing.stateHeads)) {
                    if (held == null) {
                        aside.remove(parent);
                    }
                    showing.add(parent);
                    released.add(0, cited.get());
                    todo.push(cited.get());
                } else if (held == null && cited.isEmpty()) {
                    citationsOf(group).computeIfAbsent(parent, p -> new ArrayList<>())
                            .add(new Citation(citing.id, citing.stateHeads));
                }
            }
        }
        return released;
    }

    /**
     * Judges again, by the same rule, the shown messages whose authors are no longer members and the
     * withdrawn ones, when the members or the messages named by removals changed since they were last
     * judged (or were never judged since the node started): a message shows if its author is a member, if
     * an op that removed its author names it, or if a message shown here cites it and names a state in
     * which its author was one. Withheld messages that a removal names are returned to be taken again.
     */
    Rejudged rejudge(Group group) {
        Set<PeerId> members = Set.copyOf(group.memberIds());
        Map<MessageId, PeerId> namedAuthors = namedAtRemoval(group);
        Judgement judgement = new Judgement(members, namedAuthors);
        if (judgement.equals(judgedBy.put(group.info.id(), judgement))) {
            return Rejudged.NOTHING;
        }
        Map<MessageId, SignedMessage> aside = withheld.getOrDefault(group.info.id(), Map.of());
        List<SignedMessage> named = new ArrayList<>();
        namedAuthors.forEach((id, author) -> {
            SignedMessage message = aside.get(id);
            if (message != null && message.author.equals(author)) {
                aside.remove(id);
                named.add(message);
            }
        });
        List<MessageRecord> ordered = group.graph.ordered();
        Set<MessageId> judged = new HashSet<>();
        for (MessageRecord record : ordered) {
            if (record.withdrawn || !members.contains(record.author)) {
                judged.add(record.id());
            }
        }
        if (judged.isEmpty()) {
            return new Rejudged(List.of(), List.of(), named);
        }
        Map<MessageId, List<MessageRecord>> citedBy = new HashMap<>();
        for (MessageRecord record : ordered) {
            for (MessageId parent : record.parents()) {
                if (judged.contains(parent)) {
                    citedBy.computeIfAbsent(parent, p -> new ArrayList<>()).add(record);
                }
            }
        }
        List<MessageRecord> withdrawn = new ArrayList<>();
        List<MessageRecord> restored = new ArrayList<>();
        Set<MessageId> hidden = new HashSet<>();
        // Most messages name one of a few states: each is folded once.
        Map<List<OpHash>, Optional<GroupState>> states = new HashMap<>();
        // Children come after their parents: from the end, whoever cites a message is judged before it.
        for (int i = ordered.size() - 1; i >= 0; i--) {
            MessageRecord record = ordered.get(i);
            if (!judged.contains(record.id())) {
                continue;
            }
            boolean shows = members.contains(record.author) || record.author.equals(namedAuthors.get(record.id()))
                    || citedBy.getOrDefault(record.id(), List.of()).stream()
                    .filter(citing -> !hidden.contains(citing.id()))
                    .flatMap(citing -> bodies.apply(citing).stream())
                    .anyMatch(citing -> states.computeIfAbsent(citing.stateHeads, group.log::stateAt)
                            .map(state -> state.isMember(record.author)).orElse(false));
            if (!shows) {
                hidden.add(record.id());
            }
            if (shows == record.withdrawn) {
                (shows ? restored : withdrawn).add(record);
            }
        }
        return new Rejudged(withdrawn, restored, named);
    }

    private boolean isNamedAtRemoval(Group group, MessageId id, PeerId author) {
        return author.equals(namedAtRemoval(group).get(id));
    }

    /** The messages named by the ops that ended their authors' membership, read again when the log grew. */
    private Map<MessageId, PeerId> namedAtRemoval(Group group) {
        NamedAtRemoval known = namedByGroup.get(group.info.id());
        if (known == null || known.opCount() != group.log.size()) {
            known = new NamedAtRemoval(group.log.size(), namedAtRemoval(group.log));
            namedByGroup.put(group.info.id(), known);
        }
        return known.authors();
    }

    /**
     * The last message each REMOVE_MEMBER and LEAVE names, with the author it must have. A member's own
     * LEAVE (or removal of itself) counts only if no other member's removal of it is concurrent with it:
     * a member removed while away must not bring back, by leaving, what it wrote since.
     */
    private static Map<MessageId, PeerId> namedAtRemoval(StateLog log) {
        List<StateOp> ops = log.ops();
        Map<MessageId, PeerId> named = new HashMap<>();
        for (StateOp op : ops) {
            Optional<MessageId> lastMessage = op.change() instanceof Change.RemoveMember remove ? remove.lastMessage()
                    : op.change() instanceof Change.Leave leave ? leave.lastMessage() : Optional.empty();
            if (lastMessage.isEmpty()) {
                continue;
            }
            PeerId member = op.change() instanceof Change.RemoveMember remove ? remove.peer() : op.author();
            boolean removedByOthersMeanwhile = member.equals(op.author()) && ops.stream()
                    .filter(other -> other.change() instanceof Change.RemoveMember remove && remove.peer().equals(member)
                            && !other.author().equals(member))
                    .anyMatch(other -> areConcurrent(log, op, other));
            if (!removedByOthersMeanwhile) {
                named.put(lastMessage.get(), member);
            }
        }
        return named;
    }

    private static boolean areConcurrent(StateLog log, StateOp one, StateOp other) {
        return !log.includes(List.of(one.hash()), List.of(other.hash()))
                && !log.includes(List.of(other.hash()), List.of(one.hash()));
    }

    private boolean isCitedHonestly(Group group, SignedMessage message) {
        return citationsOf(group).getOrDefault(message.id, List.of()).stream()
                .filter(citation -> isShown(group, citation.by()))
                .anyMatch(citation -> authorWasMember(group, message.author, citation.state()));
    }

    private static boolean citesOnlyShown(Group group, SignedMessage message) {
        for (MessageId parent : message.parents) {
            if (!isShown(group, parent)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isShown(Group group, MessageId id) {
        MessageRecord record = group.graph.get(id);
        return record != null && !record.withdrawn;
    }

    private static boolean authorWasMember(Group group, PeerId author, List<OpHash> state) {
        return group.log.stateAt(state).map(s -> s.isMember(author)).orElse(false);
    }

    private boolean rewinds(Group group, SignedMessage message) {
        for (MessageId id : message.parents) {
            MessageRecord parent = group.graph.get(id);
            if (parent != null && parent.author.equals(message.author)) {
                Optional<SignedMessage> body = bodies.apply(parent);
                if (body.isPresent() && !group.log.includes(message.stateHeads, body.get().stateHeads)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The citations of a group, gathered from its history the first time they are needed. */
    private Map<MessageId, List<Citation>> citationsOf(Group group) {
        return citations.computeIfAbsent(group.info.id(), id -> {
            Map<MessageId, List<Citation>> cited = Bounded.oldestOut(MAX_CITATIONS_PER_GROUP);
            for (MessageRecord record : group.graph.ordered()) {
                // Only a record citing what is not here has its body read from the log, for the state it names.
                for (MessageId parent : record.parents()) {
                    if (!group.graph.contains(parent)) {
                        bodies.apply(record).ifPresent(citing ->
                                cited.computeIfAbsent(parent, p -> new ArrayList<>())
                                        .add(new Citation(citing.id, citing.stateHeads)));
                    }
                }
            }
            return cited;
        });
    }
}
