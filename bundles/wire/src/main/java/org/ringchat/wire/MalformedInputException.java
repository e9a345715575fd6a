package org.ringchat.wire;

/** Input from a peer or the store that does not decode; the message says what is wrong. */
public final class MalformedInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedInputException(String message) {
        super(message);
    }
}
