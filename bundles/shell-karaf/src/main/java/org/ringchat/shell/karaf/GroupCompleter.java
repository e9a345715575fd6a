package org.ringchat.shell.karaf;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.ringchat.api.GroupChat;

/** Completes a group argument with the names of the groups this node is in. */
@Service
public class GroupCompleter implements Completer {

    @Reference
    GroupChat chat;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(Candidates.groupNames(chat.groups())).complete(session, commandLine, candidates);
    }
}
