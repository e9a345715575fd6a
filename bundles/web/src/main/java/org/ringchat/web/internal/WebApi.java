package org.ringchat.web.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.GroupChat;
import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.MessageId;
import org.ringchat.api.MessageTrace;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.Presence;
import org.ringchat.api.Reachability;
import org.ringchat.api.RingchatException;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;

/**
 * The JSON API as plain Java: routes a request to {@link GroupChat} and answers with JSON. Paths are
 * below {@code /api}; reads are {@code GET}, changes {@code POST} with a JSON object body. Errors are
 * {@code {"error": "..."}}: 400 for malformed input, 404 for what does not exist, 405 for a wrong method,
 * 422 for a {@link RingchatException} (its message passes through), 504 when other peers did not answer
 * in time. The request guard has run before.
 */
final class WebApi {

    private static final System.Logger LOG = System.getLogger("org.ringchat.web");
    /** How much of a wrong address an error shows: a peer ID and a host fit. */
    private static final int SHOWN_ADDRESS_LENGTH = 120;

    static final int DEFAULT_MESSAGE_LIMIT = 200;
    static final int MAX_MESSAGE_LIMIT = 1000;

    private final GroupChat chat;
    private final Supplier<Optional<Topology>> topology;
    private final Duration wait;

    /**
     * @param topology the topology in use, for the members' links and the paths of messages
     * @param wait     how long a request waits for other peers (a send's acknowledgement, an invitee)
     */
    WebApi(GroupChat chat, Supplier<Optional<Topology>> topology, Duration wait) {
        this.chat = chat;
        this.topology = topology;
        this.wait = wait;
    }

    ApiResponse handle(ApiRequest request) {
        try {
            return route(request);
        } catch (MethodNotAllowed e) {
            return new ApiResponse(405, Map.of("error", e.getMessage()), Map.of("Allow", e.allow()));
        } catch (ApiException e) {
            return ApiResponse.error(e.status(), e.getMessage());
        } catch (IllegalArgumentException e) {
            return ApiResponse.error(400, e.getMessage());
        } catch (RingchatException e) {
            return ApiResponse.error(422, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "web API request " + request.method() + " " + request.path() + " failed", e);
            return ApiResponse.error(500, "internal error: " + e);
        }
    }

    private ApiResponse route(ApiRequest request) {
        List<String> p = segments(request.path());
        String method = request.method();
        if (p.equals(List.of("node"))) {
            requireMethod(method, "GET");
            return ApiResponse.ok(node());
        }
        if (p.equals(List.of("groups"))) {
            requireMethod(method, "GET", "POST");
            return method.equals("GET") ? ApiResponse.ok(groups()) : createGroup(request);
        }
        if (p.equals(List.of("join-requests"))) {
            requireMethod(method, "GET");
            return ApiResponse.ok(Map.of("requests", chat.joinRequests().stream().map(Views::joinRequest).toList()));
        }
        if (p.size() >= 2 && p.get(0).equals("groups")) {
            GroupInfo group = group(p.get(1));
            List<String> rest = p.subList(2, p.size());
            if (rest.isEmpty()) {
                requireMethod(method, "GET");
                return ApiResponse.ok(groupDetail(group));
            }
            if (rest.equals(List.of("messages"))) {
                requireMethod(method, "GET", "POST");
                return method.equals("GET") ? ApiResponse.ok(messages(group, request.query())) : send(group, request);
            }
            if (rest.size() == 3 && rest.get(0).equals("messages") && rest.get(2).equals("path")) {
                requireMethod(method, "GET");
                return ApiResponse.ok(path(group, rest.get(1)));
            }
            if (rest.equals(List.of("invitations"))) {
                requireMethod(method, "POST");
                return invite(group, request);
            }
            if (rest.size() == 3 && rest.get(0).equals("join-requests")
                    && (rest.get(2).equals("accept") || rest.get(2).equals("reject"))) {
                requireMethod(method, "POST");
                return decide(group, rest.get(1), rest.get(2).equals("accept"), request);
            }
        }
        throw new ApiException(404, "no such API resource: " + RequestGuard.printable(request.path()) + " (see docs/WEB.md)");
    }

    // ------------------------------------------------------------------------------------ reads

    private Map<String, Object> node() {
        PeerAddress address = chat.localAddress();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("address", address.toString());
        json.put("peerId", address.peerId().toString());
        json.put("shortId", address.peerId().shortText());
        json.put("topology", topology.get().map(Topology::name).orElse(null));
        Reachability reachability = chat.reachability();
        json.put("reachability", Map.of("status", reachability.status().name(),
                "relays", reachability.relays().stream().map(PeerId::toString).toList(), "detail", reachability.detail()));
        return json;
    }

    private Map<String, Object> groups() {
        PeerId self = self();
        return Map.of("groups", chat.groups().stream().map(g -> Views.groupSummary(g, self)).toList());
    }

    private Map<String, Object> groupDetail(GroupInfo group) {
        return Views.groupDetail(group, self(), chat::presence, topology.get());
    }

    /** The newest {@code limit} messages, in history order. */
    private Map<String, Object> messages(GroupInfo group, Map<String, String> query) {
        int limit = DEFAULT_MESSAGE_LIMIT;
        String given = query.get("limit");
        if (given != null) {
            try {
                limit = Integer.parseInt(given);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_MESSAGE_LIMIT) {
                throw new ApiException(400, "limit must be a whole number from 1 to " + MAX_MESSAGE_LIMIT);
            }
        }
        PeerId self = self();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("total", chat.historySize(group.id()));
        json.put("messages", chat.latestHistory(group.id(), limit).stream().map(m -> Views.message(m, self)).toList());
        return json;
    }

    /** The trace this node saw, and the hand-off tree the topology gives from the author round the members down. */
    private Map<String, Object> path(GroupInfo group, String messageText) {
        MessageId id = MessageId.parse(messageText);
        ChatMessage message = chat.history(group.id()).stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new ApiException(404, "no message " + id + " in '" + group.name() + "'"));
        PeerId self = self();
        Ring ring = Views.ring(group);
        Set<PeerId> down = ring.members().stream()
                .filter(peer -> !peer.equals(self) && chat.presence(peer) == Presence.OFFLINE)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        Optional<MessageTrace> trace = chat.trace(group.id(), id);
        Optional<Topology> current = topology.get();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("group", group.id().toString());
        json.put("message", id.toString());
        json.put("author", message.author().toString());
        json.put("authorShort", message.author().shortText());
        json.put("topology", current.map(Topology::name).orElse(null));
        json.put("trace", trace.map(Views::trace).orElse(null));
        json.put("down", Views.ids(down));
        List<Object> steps = new ArrayList<>();
        if (current.isPresent()) {
            MessagePath.Plan plan = MessagePath.plan(ring, current.get(), message.author(), down);
            plan.steps().forEach(step -> steps.add(Views.step(step, self, trace)));
            json.put("reached", Views.ids(plan.reached()));
            json.put("unreached", Views.ids(plan.unreached()));
        } else {
            json.put("reached", List.of());
            json.put("unreached", List.of());
        }
        json.put("steps", steps);
        return json;
    }

    // ------------------------------------------------------------------------------------ changes

    private ApiResponse createGroup(ApiRequest request) {
        Map<String, Object> body = body(request, Set.of("name"));
        GroupInfo group = chat.createGroup(requireString(body, "name"));
        return ApiResponse.of(201, groupDetail(group));
    }

    /** 201 with the message once a member acknowledged it; 202 when none has yet (it is offered again). */
    private ApiResponse send(GroupInfo group, ApiRequest request) {
        Map<String, Object> body = body(request, Set.of("text"));
        CompletionStage<ChatMessage> sent = chat.send(group.id(), requireString(body, "text"));
        try {
            ChatMessage message = sent.toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return ApiResponse.of(201, Map.of("message", Views.message(message, self())));
        } catch (TimeoutException e) {
            return ApiResponse.of(202, Map.of("pending", true,
                    "info", "sent, but no member has taken it yet; it will be offered again"));
        } catch (ExecutionException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted");
        }
    }

    private ApiResponse invite(GroupInfo group, ApiRequest request) {
        Map<String, Object> body = body(request, Set.of("address"));
        PeerAddress invitee = peerAddress(requireString(body, "address"));
        return ApiResponse.ok(groupDetail(await(chat.invite(group.id(), invitee), "the invitation")));
    }

    /** A peer's address as its node's {@code id} prints it; the error says what to type. */
    private static PeerAddress peerAddress(String text) {
        try {
            return PeerAddress.parse(text);
        } catch (IllegalArgumentException e) {
            String shown = text.length() > SHOWN_ADDRESS_LENGTH ? text.substring(0, SHOWN_ADDRESS_LENGTH) + "…" : text;
            throw new ApiException(400, "expected <peer-id>@<host>:<port>, as 'id' prints it on that node, not: '" + shown + "'");
        }
    }

    private ApiResponse decide(GroupInfo group, String requesterText, boolean accept, ApiRequest request) {
        body(request, Set.of());
        PeerId requester = PeerId.parse(requesterText);
        boolean waiting = chat.joinRequests().stream()
                .anyMatch(r -> r.group().equals(group.id()) && r.requester().peerId().equals(requester));
        if (!waiting) {
            throw new ApiException(404, "no request from " + requester.shortText() + " to join '" + group.name() + "'");
        }
        if (accept) {
            return ApiResponse.ok(groupDetail(await(chat.acceptJoin(group.id(), requester), "the invitation")));
        }
        chat.rejectJoin(group.id(), requester);
        return ApiResponse.ok(Map.of("rejected", requester.toString()));
    }

    // ------------------------------------------------------------------------------------ helpers

    private PeerId self() {
        return chat.localAddress().peerId();
    }

    /** A group this node is a member of, by its whole ID. */
    private GroupInfo group(String idText) {
        GroupId id = GroupId.parse(idText);
        return chat.groups().stream().filter(g -> g.id().equals(id)).findFirst()
                .orElseThrow(() -> new ApiException(404, "this node is not a member of group " + id));
    }

    /** The body as a JSON object with no members but {@code allowed}. */
    private static Map<String, Object> body(ApiRequest request, Set<String> allowed) {
        RequestGuard.checkJsonContentType(request.headers());
        if (request.body().length == 0) {
            throw new ApiException(400, "the request needs a JSON object body");
        }
        if (!(Json.parse(request.body()) instanceof Map<?, ?> map)) {
            throw new ApiException(400, "the body must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        for (String name : object.keySet()) {
            if (!allowed.contains(name)) {
                throw new ApiException(400, "unknown member \"" + RequestGuard.printable(name) + "\""
                        + (allowed.isEmpty() ? "; send {}" : "; expected " + allowed.stream().sorted().toList()));
            }
        }
        return object;
    }

    private static String requireString(Map<String, Object> body, String name) {
        if (!(body.get(name) instanceof String value)) {
            throw new ApiException(400, "\"" + name + "\" must be a string");
        }
        return value;
    }

    private static void requireMethod(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new MethodNotAllowed(String.join(", ", allowed));
    }

    private <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(504, what + " got no answer within " + wait.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted");
        }
    }

    private static RuntimeException failure(ExecutionException e) {
        Throwable cause = e.getCause();
        return cause instanceof RuntimeException re ? re : new RingchatException(String.valueOf(cause.getMessage()), cause);
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        return segments;
    }

    /** A 405 with the methods that are allowed. */
    static final class MethodNotAllowed extends ApiException {
        private static final long serialVersionUID = 1L;
        private final String allow;

        MethodNotAllowed(String allow) {
            super(405, "use " + allow + " here");
            this.allow = allow;
        }

        String allow() {
            return allow;
        }
    }
}
