package org.ringchat.shell.karaf;

import java.util.List;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.ringchat.shell.commands.CommandTable;
import org.ringchat.shell.commands.Descriptions;

@Service
@Command(scope = CommandTable.SCOPE, name = "rename", description = Descriptions.RENAME)
public class Rename extends GroupAction {

    @Argument(index = 1, name = "name", required = true, multiValued = true,
            description = "the new name; its words are joined by one blank")
    List<String> name;

    @Override
    List<String> words() {
        return Stream.concat(Stream.of(group), name.stream()).toList();
    }
}
