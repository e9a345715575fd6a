package org.ringchat.shell.commands;

import java.util.ArrayList;
import java.util.List;

import org.ringchat.api.RingchatException;

/**
 * A command line as the ringchat shell reads it, without Gogo's parser: words are separated by blanks,
 * a word in double or single quotes may hold blanks ({@code "the team"}), and nothing else is special.
 * A command's last argument may be the rest of the line, every character as typed.
 */
public final class Words {

    private final String line;
    private final List<String> words = new ArrayList<>();
    /** For each word, where the line goes on after it. */
    private final List<Integer> ends = new ArrayList<>();

    private Words(String line, int limit) {
        this.line = line;
        int i = skipBlanks(0);
        while (i < line.length() && words.size() < limit) {
            char c = line.charAt(i);
            int end;
            if (c == '"' || c == '\'') {
                int close = line.indexOf(c, i + 1);
                if (close < 0) {
                    throw new RingchatException("a quote " + c + " is not closed: close it, or leave quotes out");
                }
                words.add(line.substring(i + 1, close));
                end = close + 1;
            } else {
                end = i;
                while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
                    end++;
                }
                words.add(line.substring(i, end));
            }
            ends.add(end);
            i = skipBlanks(end);
        }
    }

    /**
     * Splits {@code line} into words.
     *
     * @throws RingchatException when a quote is not closed
     */
    public static Words of(String line) {
        return new Words(line, Integer.MAX_VALUE);
    }

    /**
     * The first {@code limit} words of {@code line}; what follows is left as typed, for {@link #restAfter}.
     *
     * @throws RingchatException when a quote in those words is not closed
     */
    public static Words leading(String line, int limit) {
        return new Words(line, limit);
    }

    /** {@code word} as it must be typed to be one word: in quotes if it has blanks. */
    public static String quotedIfNeeded(String word) {
        return word.chars().anyMatch(Character::isWhitespace) ? "\"" + word + "\"" : word;
    }

    public List<String> all() {
        return words;
    }

    public int size() {
        return words.size();
    }

    /** The first word, or the empty string for a blank line. */
    public String first() {
        return words.isEmpty() ? "" : words.get(0);
    }

    /**
     * The line after the words read and the blanks that follow them, as typed: quotes, {@code $},
     * {@code ;}, {@code |} and runs of blanks are kept. Empty when nothing follows.
     */
    public String rest() {
        return line.substring(ends.isEmpty() ? skipBlanks(0) : skipBlanks(ends.get(ends.size() - 1)));
    }

    private int skipBlanks(int from) {
        int i = from;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }
}
