package org.ringchat.itests.browser;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.json.Json;

/** The JSON API of one node's page, over HTTP; JSON by Selenium's reader and writer, which the tests have anyway. */
final class Api {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final Json JSON = new Json();

    /** An answer: status, headers, body, and the body as JSON. */
    record Response(int status, Map<String, List<String>> headers, String body) {

        Map<String, Object> json() {
            return JSON.toType(body, Json.MAP_TYPE);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
        }
    }

    private final PageNodes.PageNode node;

    Api(PageNodes.PageNode node) {
        this.node = node;
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(node.url(path))).timeout(TIMEOUT).GET().build());
    }

    /** POST with {@code Content-Type: application/json}. */
    Response post(String path, Object json) {
        return post(path, "application/json", JSON.toJson(json));
    }

    Response post(String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(URI.create(node.url(path))).timeout(TIMEOUT)
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw PageNodes.unchecked(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * A request written by hand, for what the JDK's client will not send (a foreign {@code Host}):
     * {@code head} is the request line and headers without the final empty line.
     *
     * @return the status code
     */
    int raw(String head) {
        try (Socket socket = new Socket("127.0.0.1", node.httpPort())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), UTF_8);
            String statusLine = answer.lines().findFirst().orElse("");
            return Integer.parseInt(statusLine.split(" ")[1]);
        } catch (IOException e) {
            throw PageNodes.unchecked("raw request to " + node.url("/"), e);
        }
    }
}
