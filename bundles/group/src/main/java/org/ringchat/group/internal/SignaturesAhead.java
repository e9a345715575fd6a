package org.ringchat.group.internal;

import java.util.function.Predicate;

import org.ringchat.api.PeerId;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;

/**
 * Checks the signatures of the messages a frame brings on the thread that received it, before the frame
 * goes to the engine's loop: the transport's threads share the Ed25519 work, and the engine finds the
 * messages verified ({@link MessageVerifier} remembers them). Only frames from members are checked ahead,
 * so that strangers cannot make this node verify for them; what does not decode is left to the engine,
 * which rejects it with its reason.
 */
final class SignaturesAhead {

    private final MessageVerifier verifier;
    private final Predicate<PeerId> isMember;

    SignaturesAhead(MessageVerifier verifier, Predicate<PeerId> isMember) {
        this.verifier = verifier;
        this.isMember = isMember;
    }

    void check(PeerId from, int type, byte[] body) {
        if (!isMember.test(from)) {
            return;
        }
        try {
            if (type == FrameType.CHAT) {
                verify(BroadcastFrames.Chat.decode(body));
            } else if (type == FrameType.BUNDLE) {
                for (Bundle.Entry frame : Bundle.decode(body)) {
                    if (frame.type() == FrameType.CHAT) {
                        verify(BroadcastFrames.Chat.decode(frame.body()));
                    }
                }
            }
        } catch (MalformedInputException | IllegalArgumentException e) {
            // the engine rejects it, and says why
        }
    }

    private void verify(BroadcastFrames.Chat chat) {
        verifier.verify(SignedMessage.read(new WireReader(chat.payload())));
    }
}
