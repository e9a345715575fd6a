package org.ringchat.group.internal;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;

/** What the broadcast asks and tells: messages of others go to the intake, this node's own to the outbox. */
final class BroadcastHost implements Dissemination.Host {

    private MessageIntake intake;
    private Outbox outbox;

    /** Names who serves the broadcast; it is built before them, since they use it. */
    void serve(MessageIntake intake, Outbox outbox) {
        this.intake = intake;
        this.outbox = outbox;
    }

    @Override
    public Dissemination.Admission admit(PeerId from, GroupId group, MessageId id, byte[] payload) {
        return intake.admitBroadcast(from, group, id, payload);
    }

    @Override
    public void acknowledged(GroupId group, MessageId id, PeerId by) {
        outbox.acknowledged(group, id);
    }

    @Override
    public void completed(GroupId group, MessageId id, boolean taken, Dissemination.Missing missing) {
        outbox.completed(group, id, taken, missing);
    }

    @Override
    public Dissemination.Confirmation confirmed(GroupId group, MessageId id, Dissemination.Missing missing) {
        return intake.confirmed(group, id, missing);
    }
}
