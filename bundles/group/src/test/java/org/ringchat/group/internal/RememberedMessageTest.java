package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.ringchat.api.GroupId;
import org.ringchat.api.MessageId;
import org.ringchat.api.MessageTrace;
import org.ringchat.api.PeerId;

class RememberedMessageTest {

    private static final GroupId GROUP = GroupId.fromBytes(new byte[GroupId.LENGTH]);
    private static final MessageId ID = MessageId.fromBytes(new byte[MessageId.LENGTH]);

    private static PeerId peer(int n) {
        byte[] bytes = new byte[PeerId.LENGTH];
        bytes[0] = (byte) n;
        return PeerId.fromBytes(bytes);
    }

    @Test
    void eachKindOfHopIsTracedInTheOrderItCame() {
        RememberedMessage message = new RememberedMessage(GROUP);
        message.receivedFrom(peer(1));
        message.handedTo(peer(2));
        message.acknowledgedBy(peer(2));
        message.handedTo(peer(3));
        message.acknowledgedBy(peer(3));
        message.acknowledgedBy(peer(2));
        message.receivedFrom(peer(4));

        MessageTrace trace = message.trace(ID);
        assertEquals(List.of(peer(1), peer(4)), trace.receivedFrom());
        assertEquals(List.of(peer(2), peer(3)), trace.handedTo());
        assertEquals(Set.of(peer(2), peer(3)), trace.acknowledgedBy());
    }

    @Test
    void theFirstThirtyTwoHopsAreTraced() {
        RememberedMessage message = new RememberedMessage(GROUP);
        List<PeerId> sent = new ArrayList<>();
        IntStream.range(0, 40).forEach(n -> {
            message.handedTo(peer(n));
            sent.add(peer(n));
        });
        message.receivedFrom(peer(99));

        MessageTrace trace = message.trace(ID);
        assertEquals(sent.subList(0, 32), trace.handedTo());
        assertEquals(List.of(), trace.receivedFrom());
    }
}
