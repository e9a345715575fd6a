package org.ringchat.group.internal;

import java.util.Arrays;
import java.util.List;

import org.ringchat.api.PeerId;
import org.ringchat.state.log.OpHash;

/**
 * The author and state heads of the last message a thread decoded, handed out again for the next message
 * that has the same bytes there: a member decodes runs of messages by one author naming one state. Reusing
 * them spares a SHA-256 of the key per message (its peer ID), and the engine, which reads these fields of
 * every message it takes, finds objects it read before instead of fetching what another thread just wrote.
 * What is handed out is immutable (the key's array is never changed, as no message's is).
 */
final class RepeatedFields {

    private static final ThreadLocal<RepeatedFields> LAST = ThreadLocal.withInitial(RepeatedFields::new);

    private byte[] authorKey = new byte[0];
    private PeerId author;
    private List<OpHash> stateHeads = List.of();

    /** This thread's. */
    static RepeatedFields ofThisThread() {
        return LAST.get();
    }

    /** {@code key} or the equal one decoded last; its peer ID is then {@link #author}. */
    byte[] authorKey(byte[] key) {
        if (!Arrays.equals(key, authorKey)) {
            authorKey = key;
            author = PeerId.fromPublicKey(key);
        }
        return authorKey;
    }

    /** The peer ID of the key {@link #authorKey} returned last. */
    PeerId author() {
        return author;
    }

    /** {@code heads} or the equal list decoded last, unchangeable either way. */
    List<OpHash> stateHeads(List<OpHash> heads) {
        if (!heads.equals(stateHeads)) {
            stateHeads = List.copyOf(heads);
        }
        return stateHeads;
    }
}
