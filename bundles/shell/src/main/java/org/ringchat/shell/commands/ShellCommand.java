package org.ringchat.shell.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.ringchat.api.RingchatException;

/**
 * One ringchat command: its name, usage and description (for {@code help}), how many arguments it
 * takes, and what it does. With {@code textLast}, its last argument is the rest of the line as typed.
 *
 * @param arguments how the arguments read in its usage, e.g. {@code <group> <text...>}
 * @param min       the fewest arguments it takes
 * @param max       the most arguments it takes ({@link #ANY}: no bound)
 * @param action    takes the arguments, returns the lines to print; throws a {@link RingchatException}
 *                  with the one line to show
 */
public record ShellCommand(String name, String arguments, String description, int min, int max, boolean textLast,
        Function<List<String>, List<String>> action) {

    public static final int ANY = Integer.MAX_VALUE;

    public String usage() {
        return arguments.isEmpty() ? name : name + " " + arguments;
    }

    /** Runs the command on a line typed in the ringchat shell, whose first word is the command's name. */
    public List<String> runLine(String line) {
        if (!textLast) {
            List<String> words = Words.of(line).all();
            return run(words.subList(1, words.size()));
        }
        Words leading = Words.leading(line, min); // the name and the arguments before the text
        List<String> args = new ArrayList<>(leading.all().subList(1, leading.size()));
        String text = leading.rest();
        if (!text.isEmpty()) {
            args.add(text);
        }
        return run(args);
    }

    /** Runs the command on arguments split by another shell (Gogo's, Karaf's): a text is joined by blanks. */
    public List<String> runWords(List<String> words) {
        if (!textLast || words.size() <= min) {
            return run(words);
        }
        List<String> args = new ArrayList<>(words.subList(0, min - 1));
        args.add(String.join(" ", words.subList(min - 1, words.size())));
        return run(args);
    }

    /** Runs the command on its arguments, a text as one of them. */
    public List<String> run(List<String> args) {
        if (args.size() < min || args.size() > max) {
            throw new RingchatException("usage: " + usage() + (textLast ? "" : " (quote a name with blanks: \"the team\")"));
        }
        return action.apply(args);
    }
}
