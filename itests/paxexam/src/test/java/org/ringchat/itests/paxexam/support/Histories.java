package org.ringchat.itests.paxexam.support;

import java.util.List;

import org.ringchat.api.ChatMessage;

/** A group's history as failure messages show it. */
public final class Histories {

    private Histories() {
    }

    /** One line per message: author, text, delivery. */
    public static String describe(List<ChatMessage> history) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : history) {
            sb.append("  ").append(m.author().shortText()).append(": '").append(m.text()).append("' ")
                    .append(m.delivery().describe()).append('\n');
        }
        return sb.length() == 0 ? "  (empty)\n" : sb.toString();
    }
}
