package org.ringchat.group.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.ringchat.api.PeerId;
import org.ringchat.wire.MalformedInputException;

/**
 * Decodes the CHATs a frame brings and checks their messages' signatures on the thread that received it,
 * before the frame goes to the engine's loop: the transport's threads share the Ed25519 work, and the engine
 * takes each CHAT and its message as decoded here ({@link #decoded}) and finds the message verified (it says
 * so itself, {@link MessageVerifier}). Only frames from members are checked ahead, so that strangers
 * cannot make this node verify for them; what does not decode is left to the engine, which rejects it with
 * its reason. It takes the frames as the engine gets them, a BUNDLE already opened.
 */
final class SignaturesAhead {

    /** A frame as the engine takes it: a CHAT decoded here with its message, if it decodes (and then no body), else its body. */
    record Frame(int type, byte[] body, BroadcastFrames.Chat chat, SignedMessage message) {
    }

    private final MessageVerifier verifier;
    private final Predicate<PeerId> isMember;
    /** The frame the engine handles now ({@link #handle}); only the engine's thread reads and writes it. */
    private Frame handled;

    SignaturesAhead(MessageVerifier verifier, Predicate<PeerId> isMember) {
        this.verifier = verifier;
        this.isMember = isMember;
    }

    List<Frame> check(PeerId from, List<Bundle.Entry> frames) {
        boolean member = isMember.test(from);
        List<Frame> checked = new ArrayList<>(frames.size());
        for (Bundle.Entry frame : frames) {
            Frame decoded = member && frame.type() == FrameType.CHAT ? decodeAndVerify(frame) : null;
            // A CHAT decoded here is not read again: its body is not copied out of the bundle.
            checked.add(decoded != null ? decoded : new Frame(frame.type(), frame.body(), null, null));
        }
        return checked;
    }

    private Frame decodeAndVerify(Bundle.Entry frame) {
        try {
            BroadcastFrames.Chat chat = BroadcastFrames.Chat.decode(frame.reader());
            SignedMessage message = SignedMessage.decode(chat.payload());
            message.hasBoundId(); // the engine asks too; the message remembers the answer
            verifier.verify(message);
            return new Frame(FrameType.CHAT, null, chat, message);
        } catch (MalformedInputException | IllegalArgumentException e) {
            return null; // the engine rejects it, and says why
        }
    }

    /** Runs the engine's handling of a CHAT decoded here, during which {@link #decoded} finds its message. */
    void handle(Frame frame, Runnable handling) {
        handled = frame;
        try {
            handling.run();
        } finally {
            handled = null;
        }
    }

    /** The message a CHAT's payload holds: as decoded here ahead if it is the one handled now, else decoded now. */
    SignedMessage decoded(byte[] payload) {
        Frame frame = handled;
        return frame != null && frame.chat().payload() == payload ? frame.message() : SignedMessage.decode(payload);
    }
}
