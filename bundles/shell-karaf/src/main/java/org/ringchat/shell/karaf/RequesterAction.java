package org.ringchat.shell.karaf;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;

/** A decision on a join request: a group and who asked to join it. */
abstract class RequesterAction extends GroupAction {

    @Argument(index = 1, name = "requester", description = Arguments.REQUESTER, required = true)
    String requester;

    @Override
    List<String> words() {
        return List.of(group, requester);
    }
}
