package org.ringchat.shell.karaf;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.ringchat.shell.commands.CommandTable;
import org.ringchat.shell.commands.Descriptions;

@Service
@Command(scope = CommandTable.SCOPE, name = "id", description = Descriptions.ID)
public class Id extends RingchatAction {
}
