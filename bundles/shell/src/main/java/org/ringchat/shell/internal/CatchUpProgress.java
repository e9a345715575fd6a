package org.ringchat.shell.internal;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

import org.ringchat.api.GroupChatListener;
import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;

/**
 * Prints how a catch-up on missed messages goes, about every tenth of the way and at the end, on the
 * console's error stream so that scripted output stays clean.
 */
final class CatchUpProgress implements GroupChatListener {

    private static final int MIN_STEP = 100;

    private final PrintStream out;
    private final Map<GroupId, Long> lastPrinted = new HashMap<>();

    CatchUpProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void catchingUp(GroupInfo group, long received, long total) {
        long last = lastPrinted.getOrDefault(group.id(), 0L);
        boolean done = received >= total;
        if (done || received - last >= Math.max(MIN_STEP, total / 10)) {
            out.println("catching up on '" + group.name() + "': " + received + "/" + total + " messages"
                    + (done ? ", done" : ""));
            lastPrinted.put(group.id(), received);
        }
        if (done) {
            lastPrinted.remove(group.id());
        }
    }
}
