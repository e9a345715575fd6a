package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.List;

import org.ringchat.api.PeerId;

/**
 * A CHAT frame: the signed message and the members it has passed through so far, in order.
 * The path is not signed: it only feeds the author's confirmation, never a decision about trust.
 */
record ChatFrame(SignedMessage message, List<PeerId> path) {

    ChatFrame {
        path = List.copyOf(path);
    }

    byte[] encode() {
        WireWriter w = new WireWriter();
        message.write(w);
        w.u16(path.size());
        for (PeerId peer : path) {
            w.bytes(peer.toBytes());
        }
        return w.toByteArray();
    }

    static ChatFrame decode(byte[] body) {
        WireReader r = new WireReader(body);
        SignedMessage message = SignedMessage.read(r);
        int count = r.count("path", Limits.MAX_MEMBERS);
        List<PeerId> path = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            path.add(PeerId.fromBytes(r.bytes(PeerId.LENGTH)));
        }
        r.expectEnd();
        return new ChatFrame(message, path);
    }
}
