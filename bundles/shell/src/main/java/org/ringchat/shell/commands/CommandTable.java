package org.ringchat.shell.commands;

import static org.ringchat.shell.commands.ShellCommand.ANY;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ringchat.api.RingchatException;

/** ringchat's commands, in the order {@code help} lists them: the one list the shells take them from. */
public final class CommandTable {

    /** The commands' scope in Gogo and Karaf ({@code ringchat:send}). */
    public static final String SCOPE = "ringchat";
    public static final String CHAT = "chat";

    private final List<ShellCommand> commands;

    public CommandTable(ChatCommands c) {
        commands = List.of(
                new ShellCommand("id", "", Descriptions.ID, 0, 0, false, a -> c.id()),
                new ShellCommand("create", "<name> [address...]", Descriptions.CREATE,
                        1, ANY, false, a -> c.create(a.get(0), a.subList(1, a.size()))),
                new ShellCommand("invite", "<group> <address>", Descriptions.INVITE,
                        2, 2, false, a -> c.invite(a.get(0), a.get(1))),
                new ShellCommand("groups", "", Descriptions.GROUPS, 0, 0, false, a -> c.groups()),
                new ShellCommand("members", "<group>", Descriptions.MEMBERS, 1, 1, false, a -> c.members(a.get(0))),
                new ShellCommand("send", "<group> <text...>", Descriptions.SEND,
                        2, 2, true, a -> c.send(a.get(0), a.get(1))),
                // listed for help and completion: it changes the shell's mode, so LineRunner runs it itself
                new ShellCommand(CHAT, "<group>", Descriptions.CHAT, 1, 1, false, a -> {
                    throw new UnsupportedOperationException("chat mode is LineRunner's");
                }),
                new ShellCommand("history", "<group>", Descriptions.HISTORY, 1, 1, false, a -> c.history(a.get(0))),
                new ShellCommand("leave", "<group>", Descriptions.LEAVE, 1, 1, false, a -> c.leave(a.get(0))),
                new ShellCommand("kick", "<group> <member>", Descriptions.KICK,
                        2, 2, false, a -> c.kick(a.get(0), a.get(1))),
                new ShellCommand("owner", "<group> <member> on|off", Descriptions.OWNER,
                        3, 3, false, a -> c.owner(a.get(0), a.get(1), onOff(a.get(2)))),
                new ShellCommand("rename", "<group> <name...>", Descriptions.RENAME,
                        2, 2, true, a -> c.rename(a.get(0), a.get(1))),
                new ShellCommand("join", "<member-address> <group-id>", Descriptions.JOIN,
                        2, 2, false, a -> c.join(a.get(0), a.get(1))),
                new ShellCommand("requests", "", Descriptions.REQUESTS, 0, 0, false, a -> c.requests()),
                new ShellCommand("accept", "<group> <requester>", Descriptions.ACCEPT,
                        2, 2, false, a -> c.accept(a.get(0), a.get(1))),
                new ShellCommand("reject", "<group> <requester>", Descriptions.REJECT,
                        2, 2, false, a -> c.reject(a.get(0), a.get(1))),
                new ShellCommand("topology", "", Descriptions.TOPOLOGY, 0, 0, false, a -> c.topology()));
    }

    public List<ShellCommand> all() {
        return commands;
    }

    /** The command called {@code name}, or {@code ringchat:name}. */
    public Optional<ShellCommand> find(String name) {
        String bare = name.startsWith(SCOPE + ":") ? name.substring(SCOPE.length() + 1) : name;
        return commands.stream().filter(c -> c.name().equals(bare)).findFirst();
    }

    /** {@code help}: every command with its usage and description, then what holds for all of them. */
    public List<String> help() {
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
    public Optional<List<String>> help(String name) {
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
