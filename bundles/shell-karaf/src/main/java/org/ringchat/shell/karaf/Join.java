package org.ringchat.shell.karaf;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.ringchat.shell.commands.CommandTable;
import org.ringchat.shell.commands.Descriptions;

@Service
@Command(scope = CommandTable.SCOPE, name = "join", description = Descriptions.JOIN)
public class Join extends RingchatAction {

    @Argument(index = 0, name = "member-address", required = true,
            description = "the address of a member of the group: " + Arguments.ADDRESS)
    String memberAddress;

    @Argument(index = 1, name = "group-id", required = true,
            description = "the group's whole ID (64 hex digits), as its members see it in 'groups'")
    String groupId;

    @Override
    List<String> words() {
        return List.of(memberAddress, groupId);
    }
}
