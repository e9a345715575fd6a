package org.ringchat.example.echo.internal;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.lang.System.Logger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.GroupChat;
import org.ringchat.api.GroupChatListener;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;

/**
 * An echo bot, the example of docs/EMBEDDING.md: when another member of a group writes
 * {@code !echo <text>}, this node answers {@code echo: <text>} in the same group.
 * <p>
 * It uses nothing but {@code org.ringchat.api}: it is a {@link GroupChatListener} service, which the node
 * picks up (the whiteboard pattern), and it answers through the {@link GroupChat} service. The reference is
 * static and mandatory: SCR activates the bot once the node is up, and deactivates it (then activates a new
 * one) whenever the node's service goes away.
 */
@Component(service = GroupChatListener.class)
public final class EchoBot implements GroupChatListener {

    static final String COMMAND = "!echo ";
    static final String ANSWER = "echo: ";

    private static final Logger LOG = System.getLogger(EchoBot.class.getName());
    /** Message IDs remembered as answered: a message is updated several times (received, confirmed, ...). */
    private static final int REMEMBERED = 1000;

    private final GroupChat chat;
    private final PeerId self;
    /** Only touched in {@link #messageUpdated}, which the engine calls on its one thread. */
    private final Set<MessageId> answered = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MessageId, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });
    /** Sending waits on the engine, so answers go out from a thread of the bot's own. */
    private final ExecutorService replies = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "ringchat-echo-bot");
        thread.setDaemon(true);
        return thread;
    });

    @Activate
    public EchoBot(@Reference GroupChat chat) {
        this.chat = chat;
        this.self = chat.localAddress().peerId();
        LOG.log(INFO, "echo bot started on {0}: answers ''{1}<text>''", self.shortText(), COMMAND);
    }

    @Deactivate
    void deactivate() {
        replies.shutdown();
        LOG.log(INFO, "echo bot stopped");
    }

    /** Called on the engine's thread for every change of every message: decide at once, answer elsewhere. */
    @Override
    public void messageUpdated(ChatMessage message) {
        if (message.author().equals(self)) {
            return; // never answer this node's own messages, its answers included
        }
        Optional<String> answer = answerTo(message.text());
        if (answer.isEmpty() || !answered.add(message.id())) {
            return;
        }
        try {
            replies.execute(() -> send(message, answer.get()));
        } catch (RejectedExecutionException e) {
            // deactivated while the engine was telling its listeners: the bot no longer answers
        }
    }

    /** The answer to a message's text: {@code "echo: hi"} for {@code "!echo hi"}; empty for anything else. */
    static Optional<String> answerTo(String text) {
        if (!text.startsWith(COMMAND) || text.substring(COMMAND.length()).isBlank()) {
            return Optional.empty();
        }
        return Optional.of(ANSWER + text.substring(COMMAND.length()).strip());
    }

    private void send(ChatMessage question, String answer) {
        chat.send(question.group(), answer).whenComplete((sent, failure) -> {
            if (failure != null) {
                LOG.log(WARNING, "could not answer {0} of {1}: {2}", question.id(), question.author().shortText(),
                        failure.getMessage());
            } else {
                LOG.log(INFO, "answered ''{0}'' of {1}", question.text(), question.author().shortText());
            }
        });
    }
}
