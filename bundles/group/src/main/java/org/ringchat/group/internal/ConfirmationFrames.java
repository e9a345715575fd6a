package org.ringchat.group.internal;

import java.util.List;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/** The bodies of CONFIRMS_QUERY and CONFIRMS_ANSWER frames: a member asks a linked member for confirmations it lacks. */
final class ConfirmationFrames {

    /** The most messages one query names, and so one answer confirms. */
    static final int MAX_MESSAGES = 64;

    private ConfirmationFrames() {
    }

    /** "How did these messages go round?" */
    record Query(GroupId group, List<MessageId> ids) {

        Query {
            ids = MessageIdsBody.checked("CONFIRMS_QUERY", ids, MAX_MESSAGES);
        }

        byte[] encode() {
            return MessageIdsBody.encode(group, ids);
        }

        static Query decode(byte[] body) {
            return MessageIdsBody.decode("CONFIRMS_QUERY", body, MAX_MESSAGES, Query::new);
        }
    }

    /** The confirmations the asked member holds of the messages asked about; those it lacks are left out. */
    record Answer(GroupId group, List<BroadcastFrames.Confirmed> messages) {

        Answer {
            messages = List.copyOf(messages);
        }

        byte[] encode() {
            WireWriter w = new WireWriter().bytes(group.toBytes());
            BroadcastFrames.writeConfirmed(w, messages);
            return w.toByteArray();
        }

        static Answer decode(byte[] body) {
            WireReader r = new WireReader(body);
            GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
            List<BroadcastFrames.Confirmed> messages = BroadcastFrames.readConfirmed(r, MAX_MESSAGES, MAX_MESSAGES);
            r.expectEnd();
            if (messages.size() > MAX_MESSAGES) {
                throw new MalformedInputException("a CONFIRMS_ANSWER confirms " + messages.size() + " messages, over "
                        + MAX_MESSAGES);
            }
            return new Answer(group, messages);
        }
    }
}
