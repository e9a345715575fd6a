package org.ringchat.shell.internal;

import java.io.EOFException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.apache.felix.gogo.runtime.CommandNotFoundException;
import org.apache.felix.gogo.runtime.EOFError;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.ringchat.api.GroupChat;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.RingchatException;
import org.ringchat.shell.commands.CommandTable;
import org.ringchat.shell.commands.ShellCommand;
import org.ringchat.shell.commands.Words;

/**
 * Runs the lines of ringchat's shell, typed or read from a script, one at a time:
 * <ul>
 * <li>ringchat's commands ({@link CommandTable}) never go through Gogo's parser: their words are split
 * by {@link Words}, and the text of {@code send} is the rest of the line as typed;</li>
 * <li>{@code help} lists ringchat's commands; {@code exit} ends the shell;</li>
 * <li>{@code chat <group>} starts chat mode: each line is sent as typed, a line starting with {@code /}
 * is a command, on the chat's group if it takes one first ({@code /members}), {@code /exit} leaves
 * chat mode;</li>
 * <li>any other line is Gogo's (echo, lb, variables, closures...), and may go on in the next line when
 * it leaves a brace or quote open;</li>
 * <li>a failure is one line {@code error: ...} on {@code err}.</li>
 * </ul>
 */
final class LineRunner {

    /** What became of a line. */
    enum Outcome {
        DONE, FAILED, EXIT,
        /** A Gogo line left a brace, bracket or quote open: it goes on in the next line. */
        INCOMPLETE
    }

    private final CommandTable table;
    private final GroupChat chat;
    private final LiveEvents events;
    private final CommandSession session;
    private final PrintStream out;
    private final PrintStream err;
    private final ShellCommand send;
    private final StringBuilder pending = new StringBuilder();
    private GroupInfo chatting;

    LineRunner(CommandTable table, GroupChat chat, LiveEvents events, CommandSession session, PrintStream out, PrintStream err) {
        this.table = table;
        this.chat = chat;
        this.events = events;
        this.session = session;
        this.out = out;
        this.err = err;
        this.send = table.find("send").orElseThrow();
    }

    /** The words that start a line of ringchat's shell: its commands, {@code help} and {@code exit}. */
    List<String> commandNames() {
        List<String> names = new ArrayList<>(table.all().stream().map(ShellCommand::name).toList());
        names.addAll(List.of("help", "exit"));
        return names;
    }

    /** The group of chat mode, if on. */
    Optional<GroupInfo> chatting() {
        return Optional.ofNullable(chatting);
    }

    /** The start of a Gogo command that goes on in the next line, if any. */
    Optional<String> pending() {
        return pending.length() == 0 ? Optional.empty() : Optional.of(pending.toString().strip());
    }

    Outcome run(String line) {
        try {
            if (pending.length() > 0) {
                return gogo(line);
            }
            if (chatting != null) {
                return chatLine(line);
            }
            return command(line);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private Outcome command(String line) {
        String stripped = line.strip();
        if (stripped.isEmpty() || stripped.startsWith("#")) {
            return Outcome.DONE;
        }
        try {
            String name = Words.leading(line, 1).first();
            switch (name) {
                case "exit":
                    return Outcome.EXIT;
                case "help":
                    return help(Words.of(line).all());
                default:
                    Optional<ShellCommand> command = table.find(name);
                    if (command.isEmpty()) {
                        return gogo(line);
                    }
                    if (command.get().name().equals(CommandTable.CHAT)) {
                        return startChat(command.get(), Words.of(line).all());
                    }
                    command.get().runLine(line).forEach(out::println);
                    return Outcome.DONE;
            }
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    private Outcome help(List<String> words) {
        if (words.size() == 1) {
            table.help().forEach(out::println);
            return Outcome.DONE;
        }
        Optional<List<String>> help = table.help(words.get(1));
        if (help.isEmpty()) {
            return gogo("felix:help " + words.get(1));
        }
        help.get().forEach(out::println);
        return Outcome.DONE;
    }

    private Outcome startChat(ShellCommand usage, List<String> words) {
        if (words.size() != 2) {
            throw new RingchatException("usage: " + usage.usage());
        }
        GroupInfo group = chat.findGroup(words.get(1));
        events.follow(group, chat.history(group.id()));
        chatting = group;
        out.println("chatting in '" + group.name() + "' (" + group.members().size()
                + " members): each line is sent as typed; /exit leaves, /help lists the commands");
        return Outcome.DONE;
    }

    private Outcome chatLine(String line) {
        if (line.startsWith("/")) {
            String command = line.substring(1);
            if (command.strip().equals("exit")) {
                events.unfollow();
                out.println("left chat mode in '" + chatting.name() + "'");
                chatting = null;
                return Outcome.DONE;
            }
            return command(inChatGroup(command));
        }
        if (line.isBlank()) {
            return Outcome.DONE;
        }
        try {
            send.run(List.of(chatting.id().toString(), line)).forEach(out::println);
            return Outcome.DONE;
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    /** A command of chat mode whose first argument is a group, with the chat's group put in: {@code /members}. */
    private String inChatGroup(String command) {
        try {
            Words name = Words.leading(command, 1);
            boolean takesGroup = table.find(name.first()).map(c -> c.arguments().startsWith("<group>")).orElse(false);
            return takesGroup ? name.first() + " " + chatting.id() + " " + name.rest() : command;
        } catch (RingchatException e) {
            return command; // an open quote: command() says so
        }
    }

    private Outcome gogo(String line) {
        pending.append(line).append('\n');
        try {
            Object result = session.execute(pending);
            pending.setLength(0);
            if (result != null && !Boolean.FALSE.equals(session.get(".Gogo.format"))) {
                out.println(session.format(result, Converter.INSPECT));
            }
            return Outcome.DONE;
        } catch (Exception e) {
            if (isIncomplete(e)) {
                return Outcome.INCOMPLETE;
            }
            pending.setLength(0);
            return failed(e);
        }
    }

    private Outcome failed(Exception e) {
        err.println("error: " + message(e));
        return Outcome.FAILED;
    }

    /** Gogo's parser ran out of input (it wraps its EOFError in a java.io.EOFException). */
    static boolean isIncomplete(Exception e) {
        return e instanceof EOFError || (e instanceof EOFException && e.getCause() instanceof EOFError);
    }

    /** One line for the user: the message of the exception that matters, without its stack trace. */
    static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof InvocationTargetException || t instanceof UndeclaredThrowableException
                || t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof CommandNotFoundException notFound) {
            return "unknown command '" + notFound.getCommand() + "'; 'help' lists the commands";
        }
        if (t instanceof InterruptedException) {
            return "interrupted: the node is restarting (its configuration changed) or stopping";
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
