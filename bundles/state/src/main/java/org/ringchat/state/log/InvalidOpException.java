package org.ringchat.state.log;

/** Bytes that are not a well-formed {@link StateOp}; the message says what is wrong, on one line. */
public final class InvalidOpException extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidOpException(String message) {
        super(message);
    }
}
