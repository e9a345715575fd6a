package org.ringchat.shell.commands;

import org.ringchat.api.GroupChat;

/**
 * What each of ringchat's commands does, in one line: constants, so that the {@link CommandTable} of
 * ringchat's shell and the {@code @Command} annotations of Karaf's console show the same text.
 */
public final class Descriptions {

    public static final String ID = "this node's address, for others to invite it";
    public static final String CREATE =
            "create a group with this node as owner and invite the peers given; prints the group ID";
    public static final String INVITE = "invite a peer into a group this node owns";
    public static final String GROUPS = "list the groups: ID, name, member count";
    public static final String MEMBERS = "list a group's members: address, role, online/offline/unknown";
    public static final String SEND =
            "send the text, every character as typed (at most " + GroupChat.MAX_TEXT_BYTES + " bytes in UTF-8)";
    public static final String CHAT = "chat mode: every line is sent, arrivals print; /exit leaves";
    public static final String HISTORY = "a group's messages: time, author, text, delivery";
    public static final String LEAVE = "leave a group";
    public static final String KICK = "remove a member (the start of its peer ID) from a group this node owns";
    public static final String OWNER = "make a member an owner, or a plain member";
    public static final String RENAME = "rename a group this node owns";
    public static final String JOIN = "ask a member to let this node in; an owner decides";
    public static final String REQUESTS = "the join requests waiting for this node's decision";
    public static final String ACCEPT = "accept a join request: invites the requester";
    public static final String REJECT = "decline a join request";
    public static final String TOPOLOGY = "the topology this node spreads messages by (ring, tree)";

    private Descriptions() {
    }
}
