package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.DEBUG;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.ringchat.api.Delivery;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;

/**
 * Confirmations are spread without acknowledgements, so one can be lost: on a link that failed unnoticed, or
 * to a member that could not be reached yet (one behind a NAT before its relays are known). Each anti-entropy
 * round, a member asks the member it compares with about the messages it still holds {@link Unconfirmed},
 * and takes the confirmations that member knows; one that names it missing makes it tell the author that
 * it holds the message (HOLDS), as a CONFIRMS would. So every member ends up showing every confirmation,
 * and the author's count ends exact, whatever the spread lost.
 */
final class ConfirmationRepair {

    private static final System.Logger LOG = System.getLogger(ConfirmationRepair.class.getName());

    private final Groups groups;
    private final Unconfirmed unconfirmed;
    private final MessageIntake intake;
    private final PeerFrames frames;
    private final Scheduler clock;
    private final Supplier<Duration> patience;

    /**
     * @param patience how long a message goes without a confirmation before a member is asked about it: one
     *                 still going round gets it by the spread
     */
    ConfirmationRepair(Groups groups, Unconfirmed unconfirmed, MessageIntake intake, PeerFrames frames,
                       Scheduler clock, Supplier<Duration> patience) {
        this.groups = groups;
        this.unconfirmed = unconfirmed;
        this.intake = intake;
        this.frames = frames;
        this.clock = clock;
        this.patience = patience;
    }

    /** Asks {@code partner} about the group's messages that have waited long enough for their confirmation. */
    void ask(Group group, PeerId partner) {
        long before = clock.nowMillis() - patience.get().toMillis();
        List<MessageId> due = unconfirmed.due(group.info.id(), before, ConfirmationFrames.MAX_MESSAGES);
        if (!due.isEmpty()) {
            frames.sendToMember(group.info, partner, FrameType.CONFIRMS_QUERY,
                    new ConfirmationFrames.Query(group.info.id(), due).encode());
        }
    }

    /** Answers with the confirmations this member holds of the messages asked about. */
    void onQuery(PeerId from, ConfirmationFrames.Query query) {
        Group group = groups.sharedWith(query.group(), from);
        if (group == null) {
            LOG.log(DEBUG, "ignored CONFIRMS_QUERY from {0}: not a member of group {1}", from.shortText(), query.group());
            return;
        }
        List<BroadcastFrames.Confirmed> known = new ArrayList<>();
        for (MessageId id : query.ids()) {
            MessageRecord record = group.graph.get(id);
            if (record != null && record.status == Delivery.Status.CONFIRMED) {
                known.add(new BroadcastFrames.Confirmed(id, record.missed()));
            }
        }
        if (!known.isEmpty()) {
            frames.sendToMember(group.info, from, FrameType.CONFIRMS_ANSWER,
                    new ConfirmationFrames.Answer(group.info.id(), known).encode());
        }
    }

    /** Takes the confirmations a member answered with, as if they had come by the spread. */
    void onAnswer(PeerId from, ConfirmationFrames.Answer answer) {
        Group group = groups.sharedWith(answer.group(), from);
        if (group == null) {
            LOG.log(DEBUG, "ignored CONFIRMS_ANSWER from {0}: not a member of group {1}", from.shortText(), answer.group());
            return;
        }
        for (BroadcastFrames.Confirmed message : answer.messages()) {
            if (group.graph.contains(message.id())) {
                intake.confirmed(answer.group(), message.id(), message.missing());
            } else {
                unconfirmed.forget(answer.group(), message.id()); // forgotten here meanwhile: nothing left to show
            }
        }
    }
}
