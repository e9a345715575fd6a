package org.ringchat.shell.internal;

import java.io.PrintStream;
import java.time.ZoneId;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.ringchat.api.GroupChat;
import org.ringchat.api.RingchatException;
import org.ringchat.shell.commands.ChatCommands;
import org.ringchat.shell.commands.CommandTable;

/**
 * The {@code ringchat} scope of the Gogo shell, for other shells than ringchat's own (Karaf's console,
 * {@code ringchat:send} in Gogo): each function runs the {@link CommandTable} command of its name on the
 * words that shell split. A failure, a wrong number of arguments included, is one line
 * {@code error: ...} on standard error, never a stack trace. Immediate, so that catch-up progress is
 * printed also while no command runs.
 */
@Component(service = RingchatCommandsComponent.class, immediate = true, property = {
        "osgi.command.scope=" + CommandTable.SCOPE,
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

    private final GroupChat chat;
    private final CommandTable table;
    private final CatchUpProgress progress = new CatchUpProgress(System.err);

    @Activate
    public RingchatCommandsComponent(@Reference GroupChat chat) {
        this.chat = chat;
        this.table = new CommandTable(new ChatCommands(chat, ChatCommands.WAIT, ZoneId.systemDefault()));
        chat.addListener(progress);
    }

    @Deactivate
    void deactivate() {
        chat.removeListener(progress);
    }

    public void id(String... args) {
        run("id", args);
    }

    public void create(String... args) {
        run("create", args);
    }

    public void invite(String... args) {
        run("invite", args);
    }

    public void topology(String... args) {
        run("topology", args);
    }

    public void groups(String... args) {
        run("groups", args);
    }

    public void members(String... args) {
        run("members", args);
    }

    public void send(String... args) {
        run("send", args);
    }

    public void history(String... args) {
        run("history", args);
    }

    public void leave(String... args) {
        run("leave", args);
    }

    public void kick(String... args) {
        run("kick", args);
    }

    public void owner(String... args) {
        run("owner", args);
    }

    public void rename(String... args) {
        run("rename", args);
    }

    public void join(String... args) {
        run("join", args);
    }

    public void requests(String... args) {
        run("requests", args);
    }

    public void accept(String... args) {
        run("accept", args);
    }

    public void reject(String... args) {
        run("reject", args);
    }

    private void run(String name, String[] args) {
        // Gogo swaps System.out and System.err per session, so read them at call time.
        PrintStream out = System.out;
        try {
            table.find(name).orElseThrow().runWords(List.of(args)).forEach(out::println);
        } catch (RingchatException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
        }
    }
}
