package org.ringchat.shell.karaf;

import java.time.ZoneId;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.ringchat.api.GroupChat;
import org.ringchat.api.RingchatException;
import org.ringchat.shell.commands.ChatCommands;
import org.ringchat.shell.commands.CommandTable;

/**
 * A ringchat command in Karaf's console: Karaf parses the line into the fields of the subclass
 * ({@code --help} and completion included), and the {@link CommandTable} command of the subclass's
 * {@code @Command} name runs on them. A failure is one line {@code error: ...} on standard error.
 */
abstract class RingchatAction implements Action {

    @Reference
    GroupChat chat;

    /** The arguments as the command in the {@link CommandTable} takes them, a text as its words; none here. */
    List<String> words() {
        return List.of();
    }

    @Override
    public Object execute() {
        String name = getClass().getAnnotation(Command.class).name();
        CommandTable table = new CommandTable(new ChatCommands(chat, ChatCommands.WAIT, ZoneId.systemDefault()));
        try {
            table.find(name).orElseThrow().runWords(words()).forEach(System.out::println);
        } catch (RingchatException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
        }
        return null;
    }
}
