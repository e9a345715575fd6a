package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/**
 * Members choose their messages' IDs and parents, so a malicious one can name any parents it likes, in any
 * order of arrival. Whatever it sends, every message the engine admits to the history is listed in it exactly
 * once, after the parents that are present, so that no message can hide the history that follows it.
 *
 * <p>Input: the messages in the order they arrive, as {@link #messages} reads them.
 */
class MessageGraphFuzzTest {

    private static final GroupId GROUP = GroupId.fromBytes(new byte[GroupId.LENGTH]);
    private static final int IDS = 16;

    @FuzzTest(maxDuration = "10s")
    void everyAdmittedMessageIsListedOnceAfterItsParents(byte[] input) {
        MessageGraph graph = new MessageGraph();
        for (SignedMessage message : messages(input)) {
            // What the engine admits: a message it does not hold, that would not be its own ancestor.
            if (!graph.contains(message.id) && !graph.wouldBeOwnAncestor(message)) {
                graph.add(new MessageRecord(message.group, message, Delivery.Status.RECEIVED, 0, 2));
            }
        }
        List<MessageRecord> history = graph.ordered();
        assertEquals(graph.size(), history.size(), "every message held is in the history");
        Set<MessageId> listed = new HashSet<>();
        for (MessageRecord record : history) {
            for (MessageId parent : record.parents()) {
                assertTrue(!graph.contains(parent) || listed.contains(parent), "a message comes after its parents");
            }
            assertTrue(listed.add(record.id()), "listed once");
        }
    }

    /**
     * Each message: a byte with its ID (low 4 bits) and claimed time (high 4 bits), a byte with the number of
     * its parents (0..3), then a byte per parent with the parent's ID (low 4 bits).
     */
    private static List<SignedMessage> messages(byte[] input) {
        List<SignedMessage> messages = new ArrayList<>();
        int at = 0;
        while (at + 2 <= input.length) {
            int idAndTime = input[at++] & 0xff;
            int parentCount = Math.min((input[at++] & 0xff) % 4, input.length - at);
            List<MessageId> parents = new ArrayList<>();
            for (int i = 0; i < parentCount; i++) {
                parents.add(id(input[at++] & 0x0f));
            }
            messages.add(message(id(idAndTime & 0x0f), parents, idAndTime >>> 4));
        }
        return messages;
    }

    private static MessageId id(int index) {
        byte[] bytes = new byte[MessageId.LENGTH];
        bytes[0] = (byte) (index % IDS);
        return MessageId.fromBytes(bytes);
    }

    /** A message as a peer would send it; the graph does not look at the author, the text or the signature. */
    private static SignedMessage message(MessageId id, List<MessageId> parents, long sentAt) {
        WireWriter w = new WireWriter().bytes(GROUP.toBytes()).bytes(id.toBytes()).u16(parents.size());
        parents.forEach(p -> w.bytes(p.toBytes()));
        w.bytes(new byte[32]).i64(sentAt).u16(0).string("").u8(SignedMessage.SCHEME_SINGLE).bytes(new byte[64]);
        return SignedMessage.read(new WireReader(w.toByteArray()));
    }
}
