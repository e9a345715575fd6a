package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/** The body of HOLDS and of CONFIRMS_QUERY: a group, then 1 to a frame's limit of message IDs. */
final class MessageIdsBody {

    private MessageIdsBody() {
    }

    /** The IDs a frame may name, as given; a wrong count is the caller's mistake. */
    static List<MessageId> checked(String frame, List<MessageId> ids, int max) {
        List<MessageId> copy = List.copyOf(ids);
        if (copy.isEmpty() || copy.size() > max) {
            throw new IllegalArgumentException("a " + frame + " frame names 1 to " + max + " messages, not " + copy.size());
        }
        return copy;
    }

    static byte[] encode(GroupId group, List<MessageId> ids) {
        WireWriter w = new WireWriter(GroupId.LENGTH + 2 + ids.size() * MessageId.LENGTH)
                .bytes(group.toBytes()).u16(ids.size());
        ids.forEach(id -> w.bytes(id.toBytes()));
        return w.toByteArray();
    }

    static <T> T decode(String frame, byte[] body, int max, BiFunction<GroupId, List<MessageId>, T> make) {
        WireReader r = new WireReader(body);
        GroupId group = GroupId.fromBytes(r.bytes(GroupId.LENGTH));
        int count = r.count("messages", max);
        if (count == 0) {
            throw new MalformedInputException("a " + frame + " frame names no message");
        }
        List<MessageId> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(MessageId.fromBytes(r.bytes(MessageId.LENGTH)));
        }
        r.expectEnd();
        return make.apply(group, ids);
    }
}
