package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.ringchat.api.PeerId;
import org.ringchat.wire.MalformedInputException;

/**
 * Decodes the CHATs a frame brings and checks their messages' signatures on the thread that received it,
 * before the frame goes to the engine's loop: the transport's threads share the Ed25519 work, and the engine
 * takes each CHAT and its message as decoded here ({@link #decoded}) and finds the message verified
 * ({@link MessageVerifier} remembers it). Only frames from members are checked ahead, so that strangers
 * cannot make this node verify for them; what does not decode is left to the engine, which rejects it with
 * its reason. It takes the frames as the engine gets them, a BUNDLE already opened.
 */
final class SignaturesAhead {

    /**
     * Messages decoded here whose CHATs wait in the engine's queue; the engine takes each at once, so only
     * those it drops (the node closing) stay until newer ones push them out.
     */
    private static final int DECODED_KEPT = 1024;

    /** A frame as the engine takes it: a CHAT decoded here, if it decodes. */
    record Frame(int type, byte[] body, BroadcastFrames.Chat chat) {
    }

    private final MessageVerifier verifier;
    private final Predicate<PeerId> isMember;
    /** The messages of the CHATs decoded here, by their payload (the array itself, as the CHAT carries it on). */
    private final Map<byte[], SignedMessage> decoded = Bounded.oldestOut(DECODED_KEPT);

    SignaturesAhead(MessageVerifier verifier, Predicate<PeerId> isMember) {
        this.verifier = verifier;
        this.isMember = isMember;
    }

    List<Frame> check(PeerId from, List<Bundle.Entry> frames) {
        boolean member = isMember.test(from);
        List<Frame> checked = new ArrayList<>(frames.size());
        for (Bundle.Entry frame : frames) {
            checked.add(new Frame(frame.type(), frame.body(),
                    member && frame.type() == FrameType.CHAT ? decodeAndVerify(frame.body()) : null));
        }
        return checked;
    }

    private BroadcastFrames.Chat decodeAndVerify(byte[] body) {
        try {
            BroadcastFrames.Chat chat = BroadcastFrames.Chat.decode(body);
            SignedMessage message = SignedMessage.decode(chat.payload());
            message.hasBoundId(); // the engine asks too; the message remembers the answer
            verifier.verify(message);
            synchronized (decoded) {
                decoded.put(chat.payload(), message);
            }
            return chat;
        } catch (MalformedInputException | IllegalArgumentException e) {
            return null; // the engine rejects it, and says why
        }
    }

    /** The message a CHAT's payload holds: as decoded here ahead, or decoded now. */
    SignedMessage decoded(byte[] payload) {
        SignedMessage message;
        synchronized (decoded) {
            message = decoded.remove(payload);
        }
        return message != null ? message : SignedMessage.decode(payload);
    }
}
