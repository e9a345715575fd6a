package org.ringchat.shell.karaf;

/** How the commands' arguments are described in Karaf's help, each once. */
final class Arguments {

    static final String GROUP = "the group: its name (quoted if it has blanks) or the start of its ID";
    static final String ADDRESS = "a peer's address: <peerId>@<host>:<port>, as its 'id' prints it";
    static final String MEMBER = "a member: the start of its peer ID";
    static final String REQUESTER = "who asked to join: the start of its peer ID, or its address";

    private Arguments() {
    }
}
