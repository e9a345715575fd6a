package org.ringchat.itests.processes;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A group's history as the {@code history} command prints it, parsed; every line must be well-formed. */
record History(String node, List<History.Entry> entries) {

    /** {@code 2026-11-25 17:04:34  g7j5s23p  hello bob  [confirmed 2/2]}, or {@code [confirmed 2/3, missing k7zbgkso]} */
    private static final Pattern LINE = Pattern.compile(
            "(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)  (me|[a-z2-7]{8})  (.*)  \\[(pending|acknowledged, \\d+/\\d+|confirmed \\d+/\\d+(?:, missing [a-z2-7 ]+(?: and \\d+ more)?)?|received)\\]");

    /**
     * One message: who wrote it (the short peer ID, also for the node's own messages, which the shell
     * shows as {@code me}), its text and its delivery.
     */
    record Entry(String author, String text, String delivery) {

        /** Author and text, the message as every member shows it. */
        String message() {
            return author + ": " + text;
        }

        boolean confirmed() {
            return delivery.startsWith("confirmed ");
        }
    }

    /** Runs {@code history <group>} on the node and parses it. */
    static History of(NodeProcess node, String group) {
        return parse(node.name(), node.shortId(), node.run("history " + group));
    }

    static History parse(String node, String selfShortId, List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                fail("node " + node + ": malformed history line '" + line + "' in\n" + String.join("\n", lines));
            }
            String author = m.group(2).equals("me") ? selfShortId : m.group(2);
            entries.add(new Entry(author, m.group(3), m.group(4)));
        }
        return new History(node, List.copyOf(entries));
    }

    /** The messages ({@code author: text}) in order. */
    List<String> messages() {
        return entries.stream().map(Entry::message).toList();
    }

    /** The messages that appear more than once. */
    List<String> duplicates() {
        Set<String> seen = new HashSet<>();
        return messages().stream().filter(m -> !seen.add(m)).toList();
    }

    @Override
    public String toString() {
        return node + ": " + entries.size() + " messages";
    }
}
