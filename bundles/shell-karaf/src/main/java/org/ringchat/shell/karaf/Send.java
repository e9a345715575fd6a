package org.ringchat.shell.karaf;

import java.util.List;
import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.ringchat.shell.commands.CommandTable;
import org.ringchat.shell.commands.Descriptions;

@Service
@Command(scope = CommandTable.SCOPE, name = "send", description = Descriptions.SEND)
public class Send extends GroupAction {

    @Argument(index = 1, name = "text", required = true, multiValued = true, description = "the text; Karaf's"
            + " console joins its words by one blank: quote it to keep blanks and special characters")
    List<String> text;

    @Override
    List<String> words() {
        return Stream.concat(Stream.of(group), text.stream()).toList();
    }
}
