package org.ringchat.itests.browser;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.ringchat.itests.processes.NodeProcess;

/**
 * The JSON API and the live events of real {@code bin/ringchat} processes, over HTTP on loopback: a group
 * formed, a message sent and confirmed through the API alone, its events on the other node's stream,
 * presence going offline when a member is killed; the request guard; and {@code --http off}.
 */
class WebApiIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final PageNodes nodes = new PageNodes();

    @Test
    void twoNodesFormAGroupAndChatThroughTheApiAndItsEvents() throws Exception {
        PageNodes.PageNode alice = nodes.start("alice");
        PageNodes.PageNode bob = nodes.start("bob");
        String bobAddress = bob.process().address();
        assertEquals(alice.process().address(), alice.api().get("/api/node").json().get("address"));

        try (EventStream aliceEvents = new EventStream(alice.url("/api/events"));
             EventStream bobEvents = new EventStream(bob.url("/api/events"))) {
            aliceEvents.await("hello", d -> true, WAIT);
            bobEvents.await("hello", d -> bob.process().address().equals(d.get("address")), WAIT);

            Api.Response created = alice.api().post("/api/groups", Map.of("name", "friends"));
            assertEquals(201, created.status(), created.body());
            String group = (String) created.json().get("id");
            Api.Response invited = alice.api().post("/api/groups/" + group + "/invitations", Map.of("address", bobAddress));
            assertEquals(200, invited.status(), invited.body());
            assertEquals(2L, invited.json().get("memberCount"));
            bobEvents.await("group", d -> group.equals(d.get("id")) && Long.valueOf(2).equals(d.get("memberCount")), WAIT);

            Api.Response sent = alice.api().post("/api/groups/" + group + "/messages", Map.of("text", "hello over HTTP"));
            assertEquals(201, sent.status(), sent.body());
            String id = (String) ((Map<?, ?>) sent.json().get("message")).get("id");
            bobEvents.await("message", d -> id.equals(d.get("id")) && "hello over HTTP".equals(d.get("text")), WAIT);
            aliceEvents.await("message", d -> id.equals(d.get("id"))
                    && "confirmed 2/2".equals(((Map<?, ?>) d.get("delivery")).get("describe")), WAIT);

            Map<String, Object> history = bob.api().get("/api/groups/" + group + "/messages").json();
            assertEquals(1L, history.get("total"));
            Map<?, ?> path = bob.api().get("/api/groups/" + group + "/messages/" + id + "/path").json();
            assertEquals(alice.process().peerId(), path.get("author"));
            assertEquals(List.of(alice.process().peerId()), ((Map<?, ?>) path.get("trace")).get("receivedFrom"));
            List<?> steps = (List<?>) path.get("steps");
            assertEquals(1, steps.size(), "one hand-off in a group of two: " + steps);
            assertEquals(true, ((Map<?, ?>) steps.get(0)).get("seen"));

            // presence has no event of the engine: the page's poll notices that bob is gone
            String bobId = bob.process().peerId();
            bob.process().kill();
            aliceEvents.await("presence", d -> bobId.equals(d.get("peer")) && "OFFLINE".equals(d.get("presence")), WAIT);
            Map<?, ?> detail = alice.api().get("/api/groups/" + group).json();
            assertTrue(((List<?>) detail.get("members")).stream().map(m -> (Map<?, ?>) m)
                    .anyMatch(m -> bobId.equals(m.get("peerId")) && "OFFLINE".equals(m.get("presence"))), detail.toString());
        }
        assertEquals(List.of(), alice.process().errors());
    }

    @Test
    void theGuardRefusesForeignHostsOtherSitesAndNonJsonBodies() {
        PageNodes.PageNode node = nodes.start("solo");
        node.process().address();
        Api api = node.api();
        String port = String.valueOf(node.httpPort());

        assertEquals(200, api.raw("GET /api/node HTTP/1.1\r\nHost: 127.0.0.1:" + port));
        assertEquals(200, api.raw("GET /api/node HTTP/1.1\r\nHost: localhost:" + port));
        assertEquals(403, api.raw("GET /api/node HTTP/1.1\r\nHost: rebound.example:" + port), "DNS rebinding");
        assertEquals(403, api.raw("GET / HTTP/1.1\r\nHost: rebound.example:" + port), "the page too");
        assertEquals(403, api.raw("GET /api/events HTTP/1.1\r\nHost: rebound.example:" + port), "and the events");
        assertEquals(403, api.raw("POST /api/groups HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nOrigin: http://evil.example\r\nContent-Type: application/json\r\nContent-Length: 0"), "cross-origin");

        Api.Response form = api.post("/api/groups", "application/x-www-form-urlencoded", "name=evil");
        assertEquals(415, form.status());
        assertTrue(((String) form.json().get("error")).startsWith("send the body as Content-Type: application/json"));
        Api.Response huge = api.post("/api/groups", Map.of("name", "x".repeat(70_000)));
        assertEquals(413, huge.status(), huge.body());
        Api.Response notJson = api.post("/api/groups", "application/json", "{\"name\":");
        assertEquals(400, notJson.status());
        Api.Response longName = api.post("/api/groups", Map.of("name", "n".repeat(300)));
        assertEquals(422, longName.status(), "the engine's own message passes through: " + longName.body());
        assertEquals(404, api.get("/api/nothing").status());
        assertEquals(404, api.get("/nothing.html").status());
        assertEquals(Map.of("groups", List.of()), api.get("/api/groups").json(), "nothing was created");

        Api.Response page = api.get("/");
        assertEquals(200, page.status());
        assertEquals("text/html;charset=utf-8", page.header("Content-Type").replace(" ", "").toLowerCase());
        assertTrue(page.header("Content-Security-Policy").contains("script-src 'self'"));
        assertTrue(page.body().contains("data-testid=\"topology-svg\""));
    }

    @Test
    void withHttpOffTheNodeServesNoPageAndRunsAsUsual() {
        NodeProcess node = NodeProcess.create("offline-page", nodes.workDir()); // --http off by default
        try (node) {
            node.start();
            assertTrue(node.address().endsWith("@" + node.listen()));
            assertEquals(1, node.run("create quiet").size());
            assertTrue(node.stderr().stream().noneMatch(l -> l.contains("web page at")), "no page: " + node.stderr());
        }
    }
}
