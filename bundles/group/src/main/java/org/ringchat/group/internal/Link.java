package org.ringchat.group.internal;

import java.util.Arrays;

import org.ringchat.api.PeerId;

/** Frames to peers named by their ID: the transport in a node, an in-memory network in the simulator. */
@FunctionalInterface
public interface Link {

    /**
     * Sends one frame. {@code onFailure} runs on the protocol thread when the frame could not be
     * written (peer unknown, unreachable); a frame that was written may still be lost.
     */
    void send(PeerId to, int type, byte[] body, Runnable onFailure);

    /**
     * Sends one frame whose body is {@code head}, then {@code tail}. A CHAT's tail, the message, is the same at
     * every hop: a link that gathers frames into one copies it once, into the frame it sends.
     */
    default void send(PeerId to, int type, byte[] head, byte[] tail, Runnable onFailure) {
        send(to, type, joined(head, tail), onFailure);
    }

    /** The body of a frame given as head and tail: the head itself when there is no tail. */
    static byte[] joined(byte[] head, byte[] tail) {
        if (tail.length == 0) {
            return head;
        }
        byte[] body = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, body, head.length, tail.length);
        return body;
    }
}
