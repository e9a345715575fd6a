package org.ringchat.shell.karaf;

import java.util.List;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.ringchat.shell.commands.CommandTable;
import org.ringchat.shell.commands.Descriptions;

@Service
@Command(scope = CommandTable.SCOPE, name = "create", description = Descriptions.CREATE)
public class Create extends RingchatAction {

    @Argument(index = 0, name = "name", description = "the group's name (quoted if it has blanks)", required = true)
    String name;

    @Argument(index = 1, name = "address", multiValued = true, description = "the peers to invite: " + Arguments.ADDRESS)
    List<String> addresses = List.of();

    @Override
    List<String> words() {
        return Stream.concat(Stream.of(name), addresses.stream()).toList();
    }
}
