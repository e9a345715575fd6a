package org.ringchat.itests.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.openqa.selenium.json.Json;

/**
 * A client of a node's live events ({@code GET /api/events}) that keeps every event it got; waits are on
 * a monitor with a deadline.
 */
final class EventStream implements AutoCloseable {

    /** One event: its name and its data as JSON. */
    record Event(String name, Map<String, Object> data) {
    }

    private static final Json JSON = new Json();

    private final List<Event> events = new ArrayList<>(); // guarded by this
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private int status = -1; // guarded by this
    private boolean ended; // guarded by this

    EventStream(String url) {
        HttpClient client = HttpClient.newHttpClient();
        response = client.sendAsync(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(this::read).whenComplete((ok, failure) -> {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        });
    }

    private void read(HttpResponse<Stream<String>> answer) {
        synchronized (this) {
            status = answer.statusCode();
            notifyAll();
        }
        String name = "message";
        StringBuilder data = new StringBuilder();
        for (String line : (Iterable<String>) answer.body()::iterator) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    Event event = new Event(name, JSON.toType(data.toString(), Json.MAP_TYPE));
                    synchronized (this) {
                        events.add(event);
                        notifyAll();
                    }
                }
                name = "message";
                data.setLength(0);
            } else if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data.append(line.substring(6));
            }
        }
    }

    /** The first event, from the start of the stream, named {@code name} whose data matches. */
    synchronized Event await(String name, Predicate<Map<String, Object>> data, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Event e : events) {
                if (e.name().equals(name) && data.test(e.data())) {
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (ended || left <= 0) {
                throw new AssertionError("no '" + name + "' event as expected within " + timeout.toSeconds()
                        + " s (status " + status + (ended ? ", stream ended" : "") + "); events: " + events);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}
