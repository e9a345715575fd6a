package org.ringchat.shell.internal;

import static org.ringchat.shell.internal.ShellCommand.ANY;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ringchat.api.GroupChat;
import org.ringchat.api.RingchatException;

/** ringchat's commands, in the order {@code help} lists them: the one list the shells take them from. */
final class CommandTable {

    /** The commands' scope in Gogo and Karaf ({@code ringchat:send}). */
    static final String SCOPE = "ringchat";
    static final String CHAT = "chat";

    private final List<ShellCommand> commands;

    CommandTable(ChatCommands c) {
        commands = List.of(
                new ShellCommand("id", "", "this node's address, for others to invite it", 0, 0, false, a -> c.id()),
                new ShellCommand("create", "<name> [address...]",
                        "create a group with this node as owner and invite the peers given; prints the group ID",
                        1, ANY, false, a -> c.create(a.get(0), a.subList(1, a.size()))),
                new ShellCommand("invite", "<group> <address>", "invite a peer into a group this node owns",
                        2, 2, false, a -> c.invite(a.get(0), a.get(1))),
                new ShellCommand("groups", "", "list the groups: ID, name, member count", 0, 0, false, a -> c.groups()),
                new ShellCommand("members", "<group>", "list a group's members: address, role, online/offline/unknown",
                        1, 1, false, a -> c.members(a.get(0))),
                new ShellCommand("send", "<group> <text...>", "send the text, every character as typed (at most "
                        + GroupChat.MAX_TEXT_BYTES + " bytes in UTF-8)", 2, 2, true, a -> c.send(a.get(0), a.get(1))),
                // listed for help and completion: it changes the shell's mode, so LineRunner runs it itself
                new ShellCommand(CHAT, "<group>", "chat mode: every line is sent, arrivals print; /exit leaves",
                        1, 1, false, a -> {
                            throw new UnsupportedOperationException("chat mode is LineRunner's");
                        }),
                new ShellCommand("history", "<group>", "a group's messages: time, author, text, delivery",
                        1, 1, false, a -> c.history(a.get(0))),
                new ShellCommand("leave", "<group>", "leave a group", 1, 1, false, a -> c.leave(a.get(0))),
                new ShellCommand("kick", "<group> <member>", "remove a member (the start of its peer ID) from a group this node owns",
                        2, 2, false, a -> c.kick(a.get(0), a.get(1))),
                new ShellCommand("owner", "<group> <member> on|off", "make a member an owner, or a plain member",
                        3, 3, false, a -> c.owner(a.get(0), a.get(1), onOff(a.get(2)))),
                new ShellCommand("rename", "<group> <name...>", "rename a group this node owns",
                        2, 2, true, a -> c.rename(a.get(0), a.get(1))),
                new ShellCommand("join", "<member-address> <group-id>", "ask a member to let this node in; an owner decides",
                        2, 2, false, a -> c.join(a.get(0), a.get(1))),
                new ShellCommand("requests", "", "the join requests waiting for this node's decision",
                        0, 0, false, a -> c.requests()),
                new ShellCommand("accept", "<group> <requester>", "accept a join request: invites the requester",
                        2, 2, false, a -> c.accept(a.get(0), a.get(1))),
                new ShellCommand("reject", "<group> <requester>", "decline a join request",
                        2, 2, false, a -> c.reject(a.get(0), a.get(1))),
                new ShellCommand("topology", "", "the topology this node spreads messages by (ring, tree)",
                        0, 0, false, a -> c.topology()));
    }

    List<ShellCommand> all() {
        return commands;
    }

    /** The command called {@code name}, or {@code ringchat:name}. */
    Optional<ShellCommand> find(String name) {
        String bare = name.startsWith(SCOPE + ":") ? name.substring(SCOPE.length() + 1) : name;
        return commands.stream().filter(c -> c.name().equals(bare)).findFirst();
    }

    /** {@code help}: every command with its usage and description, then what holds for all of them. */
    List<String> help() {
        int width = commands.stream().mapToInt(c -> c.usage().length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        lines.add("ringchat's commands:");
        for (ShellCommand c : commands) {
            lines.add("  " + padded(c.usage(), width) + "  " + c.description());
        }
        lines.add("A group is named by its name or by the start of its ID; an address is <peerId>@<host>:<port>.");
        lines.add("Quote a name with blanks: \"the team\". A text is sent as typed, quotes, $, ; and | included.");
        lines.add("'help <command>' shows one command; 'exit' stops the node; 'felix:help' lists the framework's commands.");
        return lines;
    }

    /** {@code help <command>}: its usage and description. */
    Optional<List<String>> help(String name) {
        return find(name).map(c -> List.of("usage: " + c.usage(), "  " + c.description()));
    }

    private static String padded(String text, int width) {
        return text + " ".repeat(width - text.length());
    }

    private static boolean onOff(String word) {
        if (!word.equals("on") && !word.equals("off")) {
            throw new RingchatException("say 'on' or 'off', not '" + word + "'");
        }
        return word.equals("on");
    }
}
