package org.ringchat.group.internal;

/** Input from a peer or the store that does not decode; the message says what is wrong. */
final class MalformedInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MalformedInputException(String message) {
        super(message);
    }
}
