package org.ringchat.shell.karaf;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.ringchat.api.GroupChat;
import org.ringchat.api.RingchatException;

/**
 * Completes a member argument with the peer IDs of the members of the group named before it (the
 * command's first argument); nothing while that group is unknown.
 */
@Service
public class MemberCompleter implements Completer {

    @Reference
    GroupChat chat;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        String[] words = commandLine.getArguments(); // the command's name first
        if (words.length < 2) {
            return -1;
        }
        List<String> members;
        try {
            members = Candidates.memberIds(chat.findGroup(Candidates.unquoted(words[1])));
        } catch (RingchatException e) {
            return -1;
        }
        return new StringsCompleter(members).complete(session, commandLine, candidates);
    }
}
