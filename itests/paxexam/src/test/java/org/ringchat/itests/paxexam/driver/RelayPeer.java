package org.ringchat.itests.paxexam.driver;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupChatListener;
import org.ringchat.api.PeerAddress;
import org.ringchat.itests.harness.LocalNode;

/**
 * A second ringchat node in the driver JVM (the harness, outside the framework) that the test inside
 * the framework steers through the group: when another member writes {@code "relay: " + text}, this
 * peer writes {@code text} itself. So the framework's node can have a message come from another member,
 * {@code "!echo hi"} for the example bot, say.
 * <p>
 * Driver side only, like {@link EchoPeer}: started from a {@code @Configuration} method, stopped when the
 * JVM exits.
 */
public final class RelayPeer {

    /**
     * What a message asking this peer to write something starts with; a compile-time constant, so the
     * test inside the framework uses it without loading this class.
     */
    public static final String RELAY = "relay: ";

    private static LocalNode node;

    private RelayPeer() {
    }

    /** Starts the peer unless it runs already, and returns its address. */
    public static synchronized PeerAddress ensureStarted() {
        if (node != null) {
            return node.address();
        }
        LocalNode started = LocalNode.start(RingchatOptions.newDataDir("relay-peer-"));
        ExecutorService writer = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "relay-peer-writer");
            thread.setDaemon(true);
            return thread;
        });
        started.chat().addListener(new GroupChatListener() {
            @Override
            public void messageUpdated(ChatMessage message) {
                // once per message: its arrival (the engine's thread; sending waits on it, so elsewhere)
                if (message.delivery().status() == Delivery.Status.RECEIVED && message.text().startsWith(RELAY)) {
                    writer.execute(() -> started.chat().send(message.group(), message.text().substring(RELAY.length())));
                }
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            writer.shutdownNow();
            started.close();
        }, "relay-peer-shutdown"));
        node = started;
        System.out.println("relay peer started at " + node.address());
        return node.address();
    }
}
