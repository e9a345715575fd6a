package org.ringchat.api;

/**
 * A request that could not be carried out. The message is one line meant for the user.
 */
public class RingchatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RingchatException(String message) {
        super(message);
    }

    public RingchatException(String message, Throwable cause) {
        super(message, cause);
    }
}
