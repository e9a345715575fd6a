package org.ringchat.shell.karaf;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

/** A command whose first argument is a group, completed with the groups' names. */
abstract class GroupAction extends RingchatAction {

    @Argument(index = 0, name = "group", description = Arguments.GROUP, required = true)
    @Completion(GroupCompleter.class)
    String group;

    @Override
    List<String> words() {
        return List.of(group);
    }
}
