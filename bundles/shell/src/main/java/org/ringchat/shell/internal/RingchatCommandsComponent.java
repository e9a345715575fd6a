package org.ringchat.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.ringchat.api.GroupChat;
import org.ringchat.api.RingchatException;

/**
 * The {@code ringchat} scope of the Gogo shell. Prints the lines of {@link ChatCommands}; a failure is
 * one line {@code error: ...} on standard error, never a stack trace.
 */
@Component(service = RingchatCommandsComponent.class, property = {
        "osgi.command.scope=ringchat",
        "osgi.command.function=id",
        "osgi.command.function=create",
        "osgi.command.function=invite",
        "osgi.command.function=groups",
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

    @Descriptor("print this node's address, for others to invite it")
    public void id() {
        run(commands::id);
    }

    @Descriptor("create a group with this node as owner; prints the group ID")
    public void create(@Descriptor("the group's name") String name) {
        run(() -> commands.create(name));
    }

    @Descriptor("invite a peer into a group this node owns")
    public void invite(@Descriptor("group name or ID prefix") String group,
                       @Descriptor("the peer's address, <peerId>@<host>:<port>") String address) {
        run(() -> commands.invite(group, address));
    }

    @Descriptor("list the groups: ID, name, member count")
    public void groups() {
        run(commands::groups);
    }

    @Descriptor("list a group's members in ring order: address, role, online/offline/unknown")
    public void members(@Descriptor("group name or ID prefix") String group) {
        run(() -> commands.members(group));
    }

    @Descriptor("send a text message to a group")
    public void send(@Descriptor("group name or ID prefix") String group, @Descriptor("the text") String... words) {
        run(() -> commands.send(group, Arrays.asList(words)));
    }

    @Descriptor("show a group's messages: time, author, text, delivery")
    public void history(@Descriptor("group name or ID prefix") String group) {
        run(() -> commands.history(group));
    }

    @Descriptor("leave a group")
    public void leave(@Descriptor("group name or ID prefix") String group) {
        run(() -> commands.leave(group));
    }

    @Descriptor("remove a member from a group this node owns")
    public void kick(@Descriptor("group name or ID prefix") String group,
                     @Descriptor("the member's peer ID, or its start") String member) {
        run(() -> commands.kick(group, member));
    }

    @Descriptor("make a member an owner (on) or a plain member (off)")
    public void owner(@Descriptor("group name or ID prefix") String group,
                      @Descriptor("the member's peer ID, or its start") String member,
                      @Descriptor("on or off") String onOrOff) {
        run(() -> {
            if (!onOrOff.equals("on") && !onOrOff.equals("off")) {
                throw new RingchatException("say 'on' or 'off', not '" + onOrOff + "'");
            }
            return commands.owner(group, member, onOrOff.equals("on"));
        });
    }

    @Descriptor("rename a group this node owns")
    public void rename(@Descriptor("group name or ID prefix") String group, @Descriptor("the new name") String... words) {
        run(() -> commands.rename(group, String.join(" ", words)));
    }

    @Descriptor("ask a member of a group to let this node in; an owner decides")
    public void join(@Descriptor("the member's address, <peerId>@<host>:<port>") String member,
                     @Descriptor("the group's ID (64 hex digits)") String group) {
        run(() -> commands.join(member, group));
    }

    @Descriptor("list the join requests waiting for this node's decision")
    public void requests() {
        run(commands::requests);
    }

    @Descriptor("accept a join request: invites the requester")
    public void accept(@Descriptor("group name or ID prefix") String group,
                       @Descriptor("the requester's peer ID, or its start") String requester) {
        run(() -> commands.accept(group, requester));
    }

    @Descriptor("decline a join request")
    public void reject(@Descriptor("group name or ID prefix") String group,
                       @Descriptor("the requester's peer ID, or its start") String requester) {
        run(() -> commands.reject(group, requester));
    }

    private static void run(Supplier<List<String>> command) {
        // Gogo swaps System.out and System.err per session, so read them at call time.
        PrintStream out = System.out;
        try {
            command.get().forEach(out::println);
        } catch (RingchatException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
        }
    }
}
