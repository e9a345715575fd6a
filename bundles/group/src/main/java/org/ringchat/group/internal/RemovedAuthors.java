package org.ringchat.group.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.state.log.OpHash;

/**
 * Removal that holds: a message whose author is no longer a member of the group, in this member's
 * current state, is withheld — neither shown nor cited — unless it is honestly concurrent with the
 * removal: a message shown here cites it and names a state in which its author was still a member (a
 * member that had not heard of the removal took it). Matrix calls this soft failure: a message checked
 * against its own state (by {@link MessageIntake}) and against the current one (here).
 *
 * <p>Whether a message shows depends on the message graph and the state log alone, not on the order in
 * which they arrived: a withheld message is shown as soon as a shown message cites it so, whichever of
 * the two came first. The withheld messages are kept in memory (at most {@value #MAX_WITHHELD_PER_GROUP}
 * a group, the oldest out); one that is cited later comes again by catch-up, from the member that cited it.
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

    /** The stored message of a record, read from the message log ({@link MessageHistory#body}). */
    private final Function<MessageRecord, Optional<SignedMessage>> bodies;
    private final Map<GroupId, Map<MessageId, SignedMessage>> withheld = new HashMap<>();
    /** The states named by shown messages citing a message not shown here, by the cited message. */
    private final Map<GroupId, Map<MessageId, List<List<OpHash>>>> citations = new HashMap<>();

    RemovedAuthors(Function<MessageRecord, Optional<SignedMessage>> bodies) {
        this.bodies = bodies;
    }

    Verdict judge(Group group, SignedMessage message) {
        if (rewinds(group, message)) {
            return Verdict.REWINDS;
        }
        if (group.info.isMember(message.author) || isCitedHonestly(group, message)) {
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
     * A message is shown: remembers what it cites that is not here, and returns the withheld messages it
     * cites honestly, and those they cite in turn, parents first — to be shown now.
     */
    List<SignedMessage> shown(Group group, SignedMessage message) {
        Map<MessageId, SignedMessage> aside = withheld.getOrDefault(group.info.id(), Map.of());
        List<SignedMessage> released = new ArrayList<>();
        Deque<SignedMessage> todo = new ArrayDeque<>(List.of(message));
        while (!todo.isEmpty()) {
            SignedMessage citing = todo.pop();
            for (MessageId parent : citing.parents) {
                if (group.graph.contains(parent)) {
                    continue;
                }
                SignedMessage cited = aside.get(parent);
                if (cited != null && authorWasMember(group, cited, citing.stateHeads)) {
                    aside.remove(parent);
                    released.add(0, cited);
                    todo.push(cited);
                } else if (cited == null) {
                    citationsOf(group).computeIfAbsent(parent, p -> new ArrayList<>()).add(citing.stateHeads);
                }
            }
        }
        return released;
    }

    private boolean isCitedHonestly(Group group, SignedMessage message) {
        List<List<OpHash>> states = citationsOf(group).getOrDefault(message.id, List.of());
        return states.stream().anyMatch(state -> authorWasMember(group, message, state));
    }

    private static boolean authorWasMember(Group group, SignedMessage message, List<OpHash> state) {
        return group.log.stateAt(state).map(s -> s.isMember(message.author)).orElse(false);
    }

    private boolean rewinds(Group group, SignedMessage message) {
        return message.parents.stream().map(group.graph::get)
                .filter(parent -> parent != null && parent.author.equals(message.author))
                .flatMap(parent -> bodies.apply(parent).stream())
                .anyMatch(parent -> !group.log.includes(message.stateHeads, parent.stateHeads));
    }

    /** The citations of a group, gathered from its history the first time they are needed. */
    private Map<MessageId, List<List<OpHash>>> citationsOf(Group group) {
        return citations.computeIfAbsent(group.info.id(), id -> {
            Map<MessageId, List<List<OpHash>>> cited = Bounded.oldestOut(MAX_CITATIONS_PER_GROUP);
            for (MessageRecord record : group.graph.ordered()) {
                // Only a record citing what is not here has its body read from the log, for the state it names.
                for (MessageId parent : record.parents) {
                    if (!group.graph.contains(parent)) {
                        bodies.apply(record).ifPresent(citing ->
                                cited.computeIfAbsent(parent, p -> new ArrayList<>()).add(citing.stateHeads));
                    }
                }
            }
            return cited;
        });
    }
}
