package org.ringchat.shell.karaf;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.ringchat.shell.commands.CommandTable;
import org.ringchat.shell.commands.Descriptions;

@Service
@Command(scope = CommandTable.SCOPE, name = "invite", description = Descriptions.INVITE)
public class Invite extends GroupAction {

    @Argument(index = 1, name = "address", description = Arguments.ADDRESS, required = true)
    String address;

    @Override
    List<String> words() {
        return List.of(group, address);
    }
}
