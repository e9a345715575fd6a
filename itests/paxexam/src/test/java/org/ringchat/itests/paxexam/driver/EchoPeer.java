package org.ringchat.itests.paxexam.driver;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.GroupChatListener;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.itests.harness.LocalNode;

/**
 * A second ringchat node in the driver JVM, outside the framework, wired in plain Java by the harness:
 * an echo bot that answers every message another member writes with {@code "echo: " + text}.
 * <p>
 * Runs in the driver JVM only: its classes (the harness, and Netty, Bouncy Castle and H2 from the
 * driver's class path) must never be loaded inside the framework. It is started from a
 * {@code @Configuration} method and stopped when the JVM exits, as Pax Exam offers no driver-side hook
 * after a test class.
 */
public final class EchoPeer {

    private static LocalNode node;
    private static ExecutorService replies;

    private EchoPeer() {
    }

    /** Starts the echo peer unless it runs already, and returns its address. */
    public static synchronized PeerAddress ensureStarted() {
        if (node == null) {
            Path dataDir = RingchatOptions.newDataDir("echo-peer-");
            replies = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "echo-peer-replies");
                t.setDaemon(true);
                return t;
            });
            try {
                node = LocalNode.start(dataDir);
            } catch (Exception e) {
                replies.shutdownNow();
                throw new IllegalStateException("the echo peer (harness LocalNode) did not start in " + dataDir, e);
            }
            PeerId self = node.address().peerId();
            Set<MessageId> answered = ConcurrentHashMap.newKeySet();
            node.chat().addListener(new GroupChatListener() {
                @Override
                public void messageUpdated(ChatMessage message) {
                    // called on the engine's thread, once per change of a message: answer each message once, elsewhere
                    if (!message.author().equals(self) && answered.add(message.id())) {
                        replies.execute(() -> answer(message));
                    }
                }
            });
            Runtime.getRuntime().addShutdownHook(new Thread(EchoPeer::stop, "echo-peer-shutdown"));
            System.out.println("echo peer started at " + node.address() + ", data in " + dataDir);
        }
        return node.address();
    }

    private static void answer(ChatMessage message) {
        LocalNode n;
        synchronized (EchoPeer.class) {
            n = node;
        }
        if (n == null) {
            return;
        }
        n.chat().send(message.group(), "echo: " + message.text()).whenComplete((sent, error) -> {
            if (error != null) {
                System.err.println("echo peer: could not answer " + message.id() + ": " + error);
            }
        });
    }

    /** Stops the echo peer; harmless when it does not run. */
    public static synchronized void stop() {
        if (node == null) {
            return;
        }
        try {
            node.close();
        } catch (Exception e) {
            System.err.println("echo peer: close failed: " + e);
        } finally {
            node = null;
            replies.shutdownNow();
            try {
                replies.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
