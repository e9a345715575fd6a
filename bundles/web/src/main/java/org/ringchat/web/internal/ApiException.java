package org.ringchat.web.internal;

/** A request that is answered with an HTTP error status and {@code {"error": message}}. */
class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
