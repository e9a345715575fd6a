package org.ringchat.shell.karaf;

import java.util.List;

import org.ringchat.api.GroupInfo;
import org.ringchat.shell.commands.Words;

/** What the completers offer, as plain Java. */
final class Candidates {

    private Candidates() {
    }

    /** The groups' names, quoted where they have blanks, as they are typed. */
    static List<String> groupNames(List<GroupInfo> groups) {
        return groups.stream().map(g -> Words.quotedIfNeeded(g.name())).distinct().sorted().toList();
    }

    /** The members' peer IDs, which name them in {@code kick} and {@code owner}. */
    static List<String> memberIds(GroupInfo group) {
        return group.members().stream().map(m -> m.address().peerId().toString()).sorted().toList();
    }

    /** A group as typed on a command line: its name or ID prefix, without the quotes around it. */
    static String unquoted(String word) {
        boolean quoted = word.length() >= 2 && (word.charAt(0) == '"' || word.charAt(0) == '\'')
                && word.charAt(word.length() - 1) == word.charAt(0);
        return quoted ? word.substring(1, word.length() - 1) : word;
    }
}
