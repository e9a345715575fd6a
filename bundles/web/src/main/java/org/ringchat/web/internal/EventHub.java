package org.ringchat.web.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.GroupChat;
import org.ringchat.api.GroupChatListener;
import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.JoinRequest;
import org.ringchat.api.Member;
import org.ringchat.api.PeerId;
import org.ringchat.api.Presence;
import org.ringchat.spi.Topology;

/**
 * Live updates for the page as Server-Sent Events. Events of {@link GroupChat}, and {@link #topologyChanged()}
 * when the topology service is replaced, go to every client at once; presence has no event, so {@link #poll()}
 * (run on a schedule while clients are connected) compares it with what it found the time before, and sends
 * the changes.
 * <p>
 * Each client has a bounded queue and a writer task (on the executor given) that writes its events,
 * and a comment line when it has been idle for the heartbeat interval, which also finds clients that
 * have gone away. A client whose queue overflows, or whose connection fails, is dropped; a browser's
 * {@code EventSource} reconnects by itself and the page loads its state again on the {@code hello} event.
 * At most {@code maxClients} are served at once.
 */
final class EventHub implements GroupChatListener {

    private static final System.Logger LOG = System.getLogger("org.ringchat.web");

    /** Browsers wait this long before reconnecting. */
    static final int RETRY_MS = 2000;

    /**
     * @param heartbeat  how long a connection may stay silent before a comment line is written
     * @param queueSize  events held for a client that has not taken them yet
     * @param maxClients event streams served at once
     */
    record Settings(Duration heartbeat, int queueSize, int maxClients) {
    }

    /** Where a client's events are written: the response of its request. */
    interface Sink {
        /** Writes and flushes; fails when the client has gone away. */
        void write(String text) throws IOException;

        /** Ends the response; may be called more than once. */
        void close();
    }

    private final GroupChat chat;
    private final Supplier<Optional<Topology>> topology;
    private final Settings settings;
    private final Executor writers;
    private final PeerId self;
    private final Set<Client> clients = new CopyOnWriteArraySet<>();
    /** The presence the last poll found; null while no client is connected. Guarded by this. */
    private Map<PeerId, Presence> known;

    /** @param topology the topology in use, named in {@code hello} and {@code topology} events */
    EventHub(GroupChat chat, Supplier<Optional<Topology>> topology, Settings settings, Executor writers) {
        this.chat = chat;
        this.topology = topology;
        this.settings = settings;
        this.writers = writers;
        this.self = chat.localAddress().peerId();
    }

    /** A connected client; cancelling it ends its stream. */
    interface Subscription {
        void cancel();
    }

    /**
     * Connects a client: it gets {@code hello} first, then every event.
     *
     * @return empty when {@code maxClients} are connected already (the sink is left alone)
     */
    Optional<Subscription> subscribe(Sink sink) {
        Client client = new Client(sink);
        synchronized (this) {
            if (clients.size() >= settings.maxClients()) {
                return Optional.empty();
            }
            clients.add(client);
        }
        poll(); // the first client's baseline, before the page loads what it shows
        writers.execute(client::run);
        return Optional.of(client::close);
    }

    int clientCount() {
        return clients.size();
    }

    /** Drops every client. */
    void close() {
        clients.forEach(Client::close);
    }

    /** Sends the changes of presence since the last poll; the first poll only takes note. */
    synchronized void poll() {
        if (clients.isEmpty()) {
            known = null;
            return;
        }
        Map<PeerId, Presence> now;
        try {
            now = presence();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "presence poll failed: {0}", e.toString());
            return; // the node is stopping, say: the next poll tries again
        }
        if (known != null) {
            now.forEach((peer, presence) -> {
                if (presence != known.get(peer)) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("peer", peer.toString());
                    json.put("presence", presence.name());
                    broadcast(frame("presence", json));
                }
            });
        }
        known = now;
    }

    private Map<PeerId, Presence> presence() {
        Map<PeerId, Presence> presence = new HashMap<>();
        for (GroupInfo group : chat.groups()) {
            for (Member member : group.members()) {
                presence.computeIfAbsent(member.peerId(), chat::presence);
            }
        }
        return presence;
    }

    /** Tells every client the name of the topology in use now: the service was bound or replaced. */
    void topologyChanged() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", topologyName());
        broadcast(frame("topology", json));
    }

    private String topologyName() {
        return topology.get().map(Topology::name).orElse(null);
    }

    // ------------------------------------------------------------------------------------ GroupChatListener (engine thread)

    @Override
    public void messageUpdated(ChatMessage message) {
        broadcast(frame("message", Views.message(message, self)));
    }

    @Override
    public void messageWithdrawn(ChatMessage message) {
        broadcast(frame("withdrawn", Views.message(message, self)));
    }

    @Override
    public void groupUpdated(GroupInfo group) {
        broadcast(frame("group", Views.groupSummary(group, self)));
    }

    @Override
    public void removedFrom(GroupInfo group) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("group", group.id().toString());
        json.put("name", group.name());
        broadcast(frame("removed", json));
    }

    @Override
    public void joinRequested(JoinRequest request) {
        broadcast(frame("join-request", Views.joinRequest(request)));
    }

    @Override
    public void joinDeclined(GroupId group, PeerId owner) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("group", group.toString());
        json.put("owner", owner.toString());
        broadcast(frame("join-declined", json));
    }

    @Override
    public void catchingUp(GroupInfo group, long received, long total) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("group", group.id().toString());
        json.put("received", received);
        json.put("total", total);
        broadcast(frame("catching-up", json));
    }

    private void broadcast(String frame) {
        for (Client client : clients) {
            client.offer(frame);
        }
    }

    /** One event in the {@code text/event-stream} format: the JSON has no line breaks, so one data line. */
    static String frame(String event, Object json) {
        return "event: " + event + "\ndata: " + Json.write(json) + "\n\n";
    }

    private final class Client {
        private final Sink sink;
        private final BlockingQueue<String> queue;
        private volatile boolean closed;

        Client(Sink sink) {
            this.sink = sink;
            // + 1 keeps room for the wake-up on close; should two threads race into it, the writer
            // still stops at its next heartbeat
            this.queue = new ArrayBlockingQueue<>(settings.queueSize() + 1);
        }

        void offer(String frame) {
            if (closed) {
                return;
            }
            if (queue.remainingCapacity() <= 1 || !queue.offer(frame)) {
                LOG.log(System.Logger.Level.DEBUG, "dropped a web page event stream that fell {0} events behind",
                        settings.queueSize());
                close();
            }
        }

        void close() {
            closed = true;
            clients.remove(this);
            queue.offer(""); // wakes the writer
        }

        void run() {
            try {
                Map<String, Object> hello = new LinkedHashMap<>();
                hello.put("address", chat.localAddress().toString());
                hello.put("topology", topologyName());
                sink.write("retry: " + RETRY_MS + "\n\n" + frame("hello", hello));
                long heartbeatMs = settings.heartbeat().toMillis();
                while (!closed) {
                    String frame = queue.poll(heartbeatMs, TimeUnit.MILLISECONDS);
                    if (closed) {
                        break;
                    }
                    sink.write(Objects.requireNonNullElse(frame, ": heartbeat\n\n"));
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "a web page event stream went away: {0}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a web page event stream failed", e);
            } finally {
                close();
                sink.close();
            }
        }
    }
}
