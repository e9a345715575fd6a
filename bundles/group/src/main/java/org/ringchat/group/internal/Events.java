package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.WARNING;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.ringchat.api.GroupChatListener;

/** The listeners of this node's groups, and telling them what happened; a failing listener harms no other. */
final class Events {

    private static final System.Logger LOG = System.getLogger(Events.class.getName());

    private final List<GroupChatListener> listeners = new CopyOnWriteArrayList<>();

    void add(GroupChatListener listener) {
        listeners.add(listener);
    }

    void remove(GroupChatListener listener) {
        listeners.remove(listener);
    }

    void fire(Consumer<GroupChatListener> event) {
        for (GroupChatListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.log(WARNING, "a group chat listener failed", e);
            }
        }
    }
}
