package org.ringchat.shell.karaf;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.ringchat.shell.commands.CommandTable;
import org.ringchat.shell.commands.Descriptions;

@Service
@Command(scope = CommandTable.SCOPE, name = "owner", description = Descriptions.OWNER)
public class Owner extends MemberAction {

    @Argument(index = 2, name = "on|off", description = "on: an owner; off: a plain member", required = true)
    @Completion(values = {"on", "off"}, value = StringsCompleter.class)
    String onOff;

    @Override
    List<String> words() {
        return List.of(group, member, onOff);
    }
}
