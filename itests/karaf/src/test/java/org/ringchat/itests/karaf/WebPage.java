package org.ringchat.itests.karaf;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.stream.Stream;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The Karaf node's web page (org.ringchat.web on Pax Web) over HTTP on 127.0.0.1; JSON read by Gson. */
final class WebPage {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** An answer: status, {@code Content-Type} and body. */
    record Response(int status, String contentType, String body) {

        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }

        @Override
        public String toString() {
            return status + " " + contentType + ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    /** One event of {@code /api/events}: its name and its data. */
    record Event(String name, JsonObject data) {
    }

    private final int port;

    WebPage(int port) {
        this.port = port;
    }

    /** A GET with the JDK client's own {@code Host: 127.0.0.1:<port>}. */
    Response get(String path) {
        return send(request(path).GET().build());
    }

    /** A POST of {@code json} as {@code Content-Type: application/json}. */
    Response post(String path, JsonElement json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.toString(), UTF_8)).build());
    }

    /**
     * Follows the live events from now on: {@code hello} completes with the stream's first event, which tells
     * that the stream is served; {@code until} with every event up to the first named {@code name} whose
     * data matches, when the stream is closed.
     */
    Follow follow(String name, Predicate<JsonObject> data) {
        CompletableFuture<Event> first = new CompletableFuture<>();
        CompletableFuture<List<Event>> until = CLIENT
                .sendAsync(request("/api/events").GET().build(), HttpResponse.BodyHandlers.ofLines())
                .thenApply(response -> {
                    try (Stream<String> lines = response.body()) {
                        if (response.statusCode() != 200) {
                            throw new AssertionError("GET /api/events: " + response.statusCode());
                        }
                        return readUntil(lines, name, data, first);
                    }
                });
        until.whenComplete((events, failure) -> {
            if (failure != null) {
                first.completeExceptionally(failure);
            }
        });
        return new Follow(first, until);
    }

    /** The futures of {@link #follow}. */
    record Follow(CompletableFuture<Event> hello, CompletableFuture<List<Event>> until) {
    }

    /**
     * A GET written by hand with the given {@code Host}, which the JDK's client will not send.
     *
     * @return the status code
     */
    int statusWithHost(String path, String host) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(UTF_8));
            String statusLine = new String(socket.getInputStream().readAllBytes(), UTF_8).lines().findFirst().orElse("");
            return Integer.parseInt(statusLine.split(" ")[1]);
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + path + " with Host " + host + " from 127.0.0.1:" + port, e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT);
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
        }
    }

    /** Server-Sent Events: {@code event:} and {@code data:} lines, an empty line ending each event. */
    private static List<Event> readUntil(Stream<String> lines, String name, Predicate<JsonObject> data,
            CompletableFuture<Event> first) {
        List<Event> events = new ArrayList<>();
        String event = "message";
        StringBuilder json = new StringBuilder();
        for (String line : (Iterable<String>) lines::iterator) {
            if (line.startsWith("event: ")) {
                event = line.substring("event: ".length());
            } else if (line.startsWith("data: ")) {
                json.append(line.substring("data: ".length()));
            } else if (line.isEmpty() && json.length() > 0) {
                Event e = new Event(event, JsonParser.parseString(json.toString()).getAsJsonObject());
                events.add(e);
                first.complete(e); // no-op after the first
                if (e.name().equals(name) && data.test(e.data())) {
                    return events;
                }
                event = "message";
                json.setLength(0);
            }
        }
        throw new AssertionError("the event stream ended without a '" + name + "' event as expected; events: " + events);
    }
}
