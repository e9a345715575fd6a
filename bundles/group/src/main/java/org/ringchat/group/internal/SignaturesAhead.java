package org.ringchat.group.internal;

import java.util.List;
import java.util.function.Predicate;

import org.ringchat.api.PeerId;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;

/**
 * Checks the signatures of the messages a frame brings on the thread that received it, before the frame
 * goes to the engine's loop: the transport's threads share the Ed25519 work, and the engine finds the
 * messages verified ({@link MessageVerifier} remembers them). Only frames from members are checked ahead,
 * so that strangers cannot make this node verify for them; what does not decode is left to the engine,
 * which rejects it with its reason. It takes the frames as the engine gets them, a BUNDLE already opened.
 */
final class SignaturesAhead {

    private final MessageVerifier verifier;
    private final Predicate<PeerId> isMember;

    SignaturesAhead(MessageVerifier verifier, Predicate<PeerId> isMember) {
        this.verifier = verifier;
        this.isMember = isMember;
    }

    void check(PeerId from, List<Bundle.Entry> frames) {
        if (!isMember.test(from)) {
            return;
        }
        for (Bundle.Entry frame : frames) {
            if (frame.type() == FrameType.CHAT) {
                try {
                    verifier.verify(SignedMessage.read(new WireReader(BroadcastFrames.Chat.decode(frame.body()).payload())));
                } catch (MalformedInputException | IllegalArgumentException e) {
                    // the engine rejects it, and says why
                }
            }
        }
    }
}
