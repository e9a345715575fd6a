package org.ringchat.web.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.JoinRequest;
import org.ringchat.api.MessageTrace;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.Presence;
import org.ringchat.api.RingchatException;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;
import org.ringchat.topology.ring.internal.RingTopology;

class WebApiTest {

    private final FakeChat chat = new FakeChat();
    private Optional<Topology> topology = Optional.of(new RingTopology());
    private final WebApi api = new WebApi(chat, () -> topology, Duration.ofMillis(200));
    private final PeerAddress bob = FakeChat.address(2);
    private final PeerAddress carol = FakeChat.address(3);

    private ApiResponse get(String path) {
        return get(path, Map.of());
    }

    private ApiResponse get(String path, Map<String, String> query) {
        return api.handle(new ApiRequest("GET", path, query, Map.of("host", "127.0.0.1:8400"), new byte[0]));
    }

    private ApiResponse post(String path, String body) {
        return post(path, "application/json", body);
    }

    private ApiResponse post(String path, String contentType, String body) {
        return api.handle(new ApiRequest("POST", path, Map.of(),
                Map.of("host", "127.0.0.1:8400", "content-type", contentType), body.getBytes(UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(ApiResponse response) {
        return (Map<String, Object>) Json.parse(Json.write(response.json()));
    }

    private static void assertError(int status, String message, ApiResponse response) {
        assertEquals(status, response.status(), () -> Json.write(response.json()));
        assertEquals(Map.of("error", message), response.json());
    }

    @Test
    void theNode() {
        ApiResponse node = get("/node");
        assertEquals(200, node.status());
        assertEquals(Map.of("address", chat.me.toString(), "peerId", chat.me.peerId().toString(),
                "shortId", chat.me.peerId().shortText(), "topology", "ring", "reachability", Map.of("status", "UNKNOWN",
                        "relays", List.of(), "detail", "this node does not check whether others can dial it")), json(node));
        topology = Optional.empty();
        assertEquals(null, json(get("/node")).get("topology"));
    }

    @Test
    void groupsAndOneGroupWithItsMembersInRingOrder() {
        GroupInfo group = chat.group("friends", bob, carol);
        chat.presence.put(bob.peerId(), Presence.OFFLINE);
        assertEquals(Map.of("groups", List.of(Map.of("id", group.id().toString(), "name", "friends", "version", 1L,
                "memberCount", 3L, "owner", true))), json(get("/groups")));

        Map<String, Object> detail = json(get("/groups/" + group.id()));
        assertEquals("ring", detail.get("topology"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> members = (List<Map<String, Object>>) detail.get("members");
        Ring ring = Ring.of(group.id(), List.of(chat.me.peerId(), bob.peerId(), carol.peerId()));
        assertEquals(ring.members().stream().map(PeerId::toString).toList(), members.stream().map(m -> m.get("peerId")).toList());
        Map<String, Object> bobs = members.stream().filter(m -> m.get("peerId").equals(bob.peerId().toString())).findFirst().orElseThrow();
        assertEquals(Map.of("peerId", bob.peerId().toString(), "shortId", bob.peerId().shortText(), "address", bob.toString(),
                "owner", false, "self", false, "presence", "OFFLINE",
                "links", ring.members().stream().filter(p -> !p.equals(bob.peerId())).map(PeerId::toString).toList()), bobs);

        topology = Optional.empty();
        Map<String, Object> without = json(get("/groups/" + group.id()));
        assertEquals(null, without.get("topology"));
        assertEquals(List.of(), ((List<Map<String, Object>>) without.get("members")).get(0).get("links"));
    }

    @Test
    void messagesNewestLastAndBounded() {
        GroupInfo group = chat.group("friends", bob);
        chat.message(group, chat.me, "one", FakeChat.confirmed(2));
        chat.message(group, bob, "two", new Delivery(Delivery.Status.CONFIRMED, 1, 2, Set.of(chat.me.peerId())));
        chat.message(group, chat.me, "three", new Delivery(Delivery.Status.PENDING, 0, 2, Set.of()));

        Map<String, Object> all = json(get("/groups/" + group.id() + "/messages"));
        assertEquals(3L, all.get("total"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> messages = (List<Map<String, Object>>) all.get("messages");
        assertEquals(List.of("one", "two", "three"), messages.stream().map(m -> m.get("text")).toList());
        Map<String, Object> two = messages.get(1);
        assertEquals(bob.peerId().toString(), two.get("author"));
        assertEquals(false, two.get("mine"));
        assertEquals("2026-11-25T10:00:00Z", two.get("sentAt"));
        assertEquals(Map.of("status", "CONFIRMED", "describe", "confirmed 1/2, missing " + chat.me.peerId().shortText(),
                "reached", 1L, "memberCount", 2L, "missing", List.of(chat.me.peerId().toString())), two.get("delivery"));

        List<?> last = (List<?>) json(get("/groups/" + group.id() + "/messages", Map.of("limit", "1"))).get("messages");
        assertEquals("three", ((Map<?, ?>) last.get(0)).get("text"));
        for (String limit : new String[] {"0", "1001", "x", "-1"}) {
            assertError(400, "limit must be a whole number from 1 to 1000",
                    get("/groups/" + group.id() + "/messages", Map.of("limit", limit)));
        }
    }

    @Test
    void sendingAnswersOnceAMemberTookIt() {
        GroupInfo group = chat.group("friends", bob);
        ChatMessage sent = new ChatMessage(group.id(), org.ringchat.api.MessageId.fromBytes(new byte[16]), List.of(),
                chat.me.peerId(), Instant.EPOCH, "hello", new Delivery(Delivery.Status.ACKNOWLEDGED, 2, 2, Set.of()));
        chat.nextSend = CompletableFuture.completedFuture(sent);
        ApiResponse answer = post("/groups/" + group.id() + "/messages", "{\"text\":\"hello\"}");
        assertEquals(201, answer.status());
        assertEquals("acknowledged, 2/2", ((Map<?, ?>) ((Map<?, ?>) json(answer).get("message")).get("delivery")).get("describe"));

        chat.nextSend = new CompletableFuture<>(); // nobody takes it within the wait
        ApiResponse pending = post("/groups/" + group.id() + "/messages", "{\"text\":\"anyone?\"}");
        assertEquals(202, pending.status());
        assertEquals(true, json(pending).get("pending"));

        assertError(422, "nothing to send: the message is empty", post("/groups/" + group.id() + "/messages", "{\"text\":\" \"}"));
        chat.nextSend = CompletableFuture.failedFuture(new RingchatException("the group is gone"));
        assertError(422, "the group is gone", post("/groups/" + group.id() + "/messages", "{\"text\":\"x\"}"));
    }

    @Test
    void malformedRequestsAreRefusedClearly() {
        GroupInfo group = chat.group("friends", bob);
        String messages = "/groups/" + group.id() + "/messages";
        assertError(415, "send the body as Content-Type: application/json (UTF-8), not 'text/plain'",
                post(messages, "text/plain", "{\"text\":\"x\"}"));
        assertError(400, "the request needs a JSON object body", post(messages, ""));
        assertError(400, "the body must be a JSON object", post(messages, "[\"x\"]"));
        assertError(400, "invalid JSON at character 8: unexpected end of the JSON text", post(messages, "{\"text\":"));
        assertError(400, "\"text\" must be a string", post(messages, "{\"text\":5}"));
        assertError(400, "unknown member \"txt\"; expected [text]", post(messages, "{\"txt\":\"x\"}"));
        assertError(400, "a group ID has 64 hex digits, not 3: abc", get("/groups/abc"));
        assertError(404, "this node is not a member of group " + "ab".repeat(32), get("/groups/" + "ab".repeat(32)));
        assertError(404, "no such API resource: /nothing (see docs/WEB.md)", get("/nothing"));
        assertError(404, "no such API resource: /groups/" + group.id() + "/x (see docs/WEB.md)", get("/groups/" + group.id() + "/x"));
        assertTrue(chat.calls.isEmpty(), "nothing reached the node: " + chat.calls);

        ApiResponse wrongMethod = api.handle(new ApiRequest("DELETE", "/groups", Map.of(), Map.of(), new byte[0]));
        assertEquals(405, wrongMethod.status());
        assertEquals(Map.of("Allow", "GET, POST"), wrongMethod.headers());
        assertEquals(405, post("/node", "{}").status());
    }

    @Test
    void createAndInvite() {
        ApiResponse created = post("/groups", "{\"name\":\"team\"}");
        assertEquals(201, created.status());
        assertEquals("team", json(created).get("name"));
        assertError(422, "a group needs a name", post("/groups", "{\"name\":\"\"}"));

        GroupInfo group = chat.groups.get(0);
        String invitations = "/groups/" + group.id() + "/invitations";
        assertError(400, "expected <peer-id>@<host>:<port>, as 'id' prints it on that node, not: 'bob'",
                post(invitations, "{\"address\":\"bob\"}"));
        assertError(400, "expected <peer-id>@<host>:<port>, as 'id' prints it on that node, not: '@'",
                post(invitations, "{\"address\":\"@\"}"));
        ApiResponse unanswered = post(invitations, "{\"address\":\"" + bob + "\"}");
        assertError(504, "the invitation got no answer within 0 s", unanswered);
        chat.nextInvite = CompletableFuture.completedFuture(new GroupInfo(group.id(), "team",
                List.of(group.members().get(0), new org.ringchat.api.Member(bob, false)), 2));
        assertEquals(2L, json(post(invitations, "{\"address\":\"" + bob + "\"}")).get("memberCount"));
        assertEquals(List.of("create team", "create ", "invite " + bob, "invite " + bob), chat.calls);
    }

    @Test
    void joinRequestsAreListedAcceptedAndRejected() {
        GroupInfo group = chat.group("friends", bob);
        chat.joinRequests.add(new JoinRequest(group.id(), "friends", carol, bob.peerId(), Instant.parse("2026-11-25T10:00:00Z")));
        List<?> requests = (List<?>) json(get("/join-requests")).get("requests");
        assertEquals(Map.of("group", group.id().toString(), "groupName", "friends", "requester", carol.toString(),
                "requesterId", carol.peerId().toString(), "requesterShort", carol.peerId().shortText(),
                "via", bob.peerId().toString(), "receivedAt", "2026-11-25T10:00:00Z"), requests.get(0));

        String base = "/groups/" + group.id() + "/join-requests/";
        assertEquals(Map.of("rejected", carol.peerId().toString()), json(post(base + carol.peerId() + "/reject", "{}")));
        chat.nextInvite = CompletableFuture.completedFuture(group);
        assertEquals(200, post(base + carol.peerId() + "/accept", "{}").status());
        assertError(404, "no request from " + bob.peerId().shortText() + " to join 'friends'", post(base + bob.peerId() + "/accept", "{}"));
        assertEquals(400, post(base + carol.peerId() + "/accept", "{\"why\":1}").status());
        assertEquals(List.of("reject " + carol.peerId().shortText(), "accept " + carol.peerId().shortText()), chat.calls);
    }

    @Test
    void aMessagesPathIsTheTopologysPlanWithTheHopsThisNodeSaw() {
        PeerAddress[] others = {bob, carol, FakeChat.address(4), FakeChat.address(5)};
        GroupInfo group = chat.group("five", others);
        ChatMessage m = chat.message(group, chat.me, "hello", FakeChat.confirmed(5));
        Ring ring = Views.ring(group);
        // the author hands to 1 (covering 1), 2 (covering 2-3) and 4; 2 is down, so 3 takes its part
        PeerId down = ring.after(chat.me.peerId(), 2);
        chat.presence.put(down, Presence.OFFLINE);
        PeerId next = ring.after(chat.me.peerId(), 3);
        chat.traces.put(m.id(), new MessageTrace(group.id(), m.id(), List.of(), List.of(down, next), Set.of(next)));

        Map<String, Object> path = json(get("/groups/" + group.id() + "/messages/" + m.id() + "/path"));
        assertEquals(chat.me.peerId().toString(), path.get("author"));
        assertEquals("ring", path.get("topology"));
        assertEquals(List.of(down.toString()), path.get("down"));
        assertEquals(Map.of("receivedFrom", List.of(), "handedTo", List.of(down.toString(), next.toString()),
                "acknowledgedBy", List.of(next.toString())), path.get("trace"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) path.get("steps");
        Map<String, Object> failed = steps.stream().filter(s -> s.get("to").equals(down.toString())).findFirst().orElseThrow();
        assertEquals(true, failed.get("targetDown"));
        assertEquals(true, failed.get("seen"), "the trace has the failed hand-off too");
        Map<String, Object> rerouted = steps.stream().filter(s -> s.get("kind").equals("reroute")).findFirst().orElseThrow();
        assertEquals(Map.of("from", chat.me.peerId().toString(), "to", next.toString(),
                "route", ring.after(chat.me.peerId(), 4).toString(), "kind", "reroute", "hop", 1L, "targetDown", false,
                "seen", true), rerouted);
        assertEquals(false, steps.stream().filter(s -> s.get("to").equals(ring.after(chat.me.peerId(), 4).toString()))
                .findFirst().orElseThrow().get("seen"), "not in the trace");
        assertEquals(4, ((List<?>) path.get("reached")).size());

        assertEquals(404, get("/groups/" + group.id() + "/messages/" + "00".repeat(16) + "/path").status());
        chat.traces.clear();
        topology = Optional.empty();
        Map<String, Object> bare = json(get("/groups/" + group.id() + "/messages/" + m.id() + "/path"));
        assertEquals(null, bare.get("trace"));
        assertEquals(List.of(), bare.get("steps"));
    }

    @Test
    void anUnexpectedFailureIsA500WithoutTheStack() {
        GroupInfo group = chat.group("friends");
        chat.histories.remove(group.id()); // history() then fails as no engine would
        ApiResponse answer = get("/groups/" + group.id() + "/messages");
        assertEquals(500, answer.status());
        assertTrue(((String) json(answer).get("error")).startsWith("internal error: java.lang.NullPointerException"));
    }
}
