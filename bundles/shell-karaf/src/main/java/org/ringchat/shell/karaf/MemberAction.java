package org.ringchat.shell.karaf;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;

/** A command on a group and one of its members, completed with the members' peer IDs. */
abstract class MemberAction extends GroupAction {

    @Argument(index = 1, name = "member", description = Arguments.MEMBER, required = true)
    @Completion(MemberCompleter.class)
    String member;

    @Override
    List<String> words() {
        return List.of(group, member);
    }
}
