package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.DEBUG;

import java.util.concurrent.CompletionStage;

import org.ringchat.api.GroupInfo;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.spi.Transport;

/**
 * Frames sent straight to one peer, outside the broadcast: invitations, state changes, join requests,
 * catch-up. A frame that could not be written is logged; a caller that cares takes the returned stage.
 */
final class PeerFrames {

    private static final System.Logger LOG = System.getLogger(PeerFrames.class.getName());

    private final Transport transport;

    PeerFrames(Transport transport) {
        this.transport = transport;
    }

    PeerAddress localAddress() {
        return transport.localAddress();
    }

    int maxFrameSize() {
        return transport.maxFrameSize();
    }

    CompletionStage<Void> send(PeerAddress to, int type, byte[] body) {
        CompletionStage<Void> sent = transport.send(to, type, body);
        sent.whenComplete((ok, error) -> {
            if (error != null) {
                LOG.log(DEBUG, "could not send {0} to {1}: {2}", FrameType.name(type), to.peerId().shortText(),
                        Errors.rootMessage(error));
            }
        });
        return sent;
    }

    /** Sends to a member of the group as the group's state lists it; to nobody if it is not a member. */
    void sendToMember(GroupInfo group, PeerId peer, int type, byte[] body) {
        group.member(peer).ifPresent(m -> send(m.address(), type, body));
    }
}
