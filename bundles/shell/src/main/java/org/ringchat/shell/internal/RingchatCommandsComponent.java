package org.ringchat.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.ringchat.api.GroupChat;
import org.ringchat.api.RingchatException;

/**
 * The {@code ringchat} scope of the Gogo shell. Prints the lines of {@link ChatCommands}; a failure, a
 * wrong number of arguments included, is one line {@code error: ...} on standard error, never a stack trace.
 * Every command takes its arguments as words and checks them itself, so that Gogo's own coercion errors
 * never reach the user. Immediate, so that catch-up progress is printed also while no command runs.
 */
@Component(service = RingchatCommandsComponent.class, immediate = true, property = {
        "osgi.command.scope=ringchat",
        "osgi.command.function=id",
        "osgi.command.function=create",
        "osgi.command.function=invite",
        "osgi.command.function=groups",
        "osgi.command.function=topology",
        "osgi.command.function=members",
        "osgi.command.function=send",
        "osgi.command.function=history",
        "osgi.command.function=leave",
        "osgi.command.function=kick",
        "osgi.command.function=owner",
        "osgi.command.function=rename",
        "osgi.command.function=join",
        "osgi.command.function=requests",
        "osgi.command.function=accept",
        "osgi.command.function=reject"})
public final class RingchatCommandsComponent {

    /** Longer than the engine's invitation timeout, so that its clearer message wins. */
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int ANY = Integer.MAX_VALUE;

    private final GroupChat chat;
    private final ChatCommands commands;
    private final CatchUpProgress progress = new CatchUpProgress(System.err);

    @Activate
    public RingchatCommandsComponent(@Reference GroupChat chat) {
        this.chat = chat;
        this.commands = new ChatCommands(chat, WAIT, ZoneId.systemDefault());
        chat.addListener(progress);
    }

    @Deactivate
    void deactivate() {
        chat.removeListener(progress);
    }

    @Descriptor("id: print this node's address, for others to invite it")
    public void id(String... args) {
        run("id", args, 0, 0, a -> commands.id());
    }

    @Descriptor("create <name> [address...]: create a group with this node as owner, invite the peers given; prints the group ID")
    public void create(String... args) {
        run("create <name> [<peerId>@<host>:<port>...]", args, 1, ANY,
                a -> commands.create(a[0], Arrays.asList(a).subList(1, a.length)));
    }

    @Descriptor("invite <group> <address>: invite a peer into a group this node owns")
    public void invite(String... args) {
        run("invite <group> <peerId>@<host>:<port>", args, 2, 2, a -> commands.invite(a[0], a[1]));
    }

    @Descriptor("topology: the topology this node spreads messages by (ring, tree); swap it in deploy/")
    public void topology(String... args) {
        run("topology", args, 0, 0, a -> commands.topology());
    }

    @Descriptor("groups: list the groups: ID, name, member count")
    public void groups(String... args) {
        run("groups", args, 0, 0, a -> commands.groups());
    }

    @Descriptor("members <group>: list a group's members in the order they joined: address, role, online/offline/unknown")
    public void members(String... args) {
        run("members <group>", args, 1, 1, a -> commands.members(a[0]));
    }

    @Descriptor("send <group> <text...>: send a text message to a group")
    public void send(String... args) {
        run("send <group> <text...>", args, 2, ANY,
                a -> commands.send(a[0], Arrays.asList(a).subList(1, a.length)));
    }

    @Descriptor("history <group>: show a group's messages: time, author, text, delivery")
    public void history(String... args) {
        run("history <group>", args, 1, 1, a -> commands.history(a[0]));
    }

    @Descriptor("leave <group>: leave a group")
    public void leave(String... args) {
        run("leave <group>", args, 1, 1, a -> commands.leave(a[0]));
    }

    @Descriptor("kick <group> <member>: remove a member (named by the start of its peer ID) from a group this node owns")
    public void kick(String... args) {
        run("kick <group> <member>", args, 2, 2, a -> commands.kick(a[0], a[1]));
    }

    @Descriptor("owner <group> <member> on|off: make a member an owner, or a plain member")
    public void owner(String... args) {
        run("owner <group> <member> on|off", args, 3, 3, a -> {
            if (!a[2].equals("on") && !a[2].equals("off")) {
                throw new RingchatException("say 'on' or 'off', not '" + a[2] + "'");
            }
            return commands.owner(a[0], a[1], a[2].equals("on"));
        });
    }

    @Descriptor("rename <group> <name...>: rename a group this node owns")
    public void rename(String... args) {
        run("rename <group> <name...>", args, 2, ANY,
                a -> commands.rename(a[0], String.join(" ", Arrays.asList(a).subList(1, a.length))));
    }

    @Descriptor("join <member-address> <group-id>: ask a member of a group to let this node in; an owner decides")
    public void join(String... args) {
        run("join <peerId>@<host>:<port> <group-id>", args, 2, 2, a -> commands.join(a[0], a[1]));
    }

    @Descriptor("requests: list the join requests waiting for this node's decision")
    public void requests(String... args) {
        run("requests", args, 0, 0, a -> commands.requests());
    }

    @Descriptor("accept <group> <requester>: accept a join request: invites the requester")
    public void accept(String... args) {
        run("accept <group> <requester>", args, 2, 2, a -> commands.accept(a[0], a[1]));
    }

    @Descriptor("reject <group> <requester>: decline a join request")
    public void reject(String... args) {
        run("reject <group> <requester>", args, 2, 2, a -> commands.reject(a[0], a[1]));
    }

    private static void run(String usage, String[] args, int min, int max, Function<String[], List<String>> command) {
        // Gogo swaps System.out and System.err per session, so read them at call time.
        PrintStream out = System.out;
        try {
            if (args.length < min || args.length > max) {
                throw new RingchatException("usage: " + usage + " (quote a name with spaces: \"the team\")");
            }
            command.apply(args).forEach(out::println);
        } catch (RingchatException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
        }
    }
}
