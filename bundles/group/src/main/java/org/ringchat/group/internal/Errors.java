package org.ringchat.group.internal;

/** How the engine words what failed. */
final class Errors {

    private Errors() {
    }

    /** The innermost cause's message: what a user can act on, without the wrappers' repetitions. */
    static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
