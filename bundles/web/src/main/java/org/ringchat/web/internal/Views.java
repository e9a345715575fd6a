package org.ringchat.web.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.JoinRequest;
import org.ringchat.api.Member;
import org.ringchat.api.MessageTrace;
import org.ringchat.api.PeerId;
import org.ringchat.api.Presence;
import org.ringchat.spi.Ring;
import org.ringchat.spi.Topology;

/** The JSON form of the API's values (docs/WEB.md describes each). */
final class Views {

    private Views() {
    }

    static Map<String, Object> groupSummary(GroupInfo group, PeerId self) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", group.id().toString());
        json.put("name", group.name());
        json.put("version", group.version());
        json.put("memberCount", group.members().size());
        json.put("owner", group.isOwner(self));
        return json;
    }

    /**
     * A group with its members in ring order, each with its presence and, when a topology is there, the
     * members it links to.
     */
    static Map<String, Object> groupDetail(GroupInfo group, PeerId self, Function<PeerId, Presence> presence,
                                           Optional<Topology> topology) {
        Map<String, Object> json = groupSummary(group, self);
        Ring ring = ring(group);
        json.put("topology", topology.map(Topology::name).orElse(null));
        List<Object> members = new ArrayList<>();
        for (PeerId peer : ring.members()) {
            Member member = group.member(peer).orElseThrow();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("peerId", peer.toString());
            m.put("shortId", peer.shortText());
            m.put("address", member.address().toString());
            m.put("owner", member.owner());
            m.put("self", peer.equals(self));
            m.put("presence", presence.apply(peer).name());
            m.put("links", topology.map(t -> ids(ring.members().stream().filter(t.links(ring, peer)::contains).toList()))
                    .orElse(List.of()));
            members.add(m);
        }
        json.put("members", members);
        return json;
    }

    static Ring ring(GroupInfo group) {
        return Ring.of(group.id(), group.members().stream().map(Member::peerId).toList());
    }

    static Map<String, Object> message(ChatMessage message, PeerId self) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", message.id().toString());
        json.put("group", message.group().toString());
        json.put("author", message.author().toString());
        json.put("authorShort", message.author().shortText());
        json.put("mine", message.author().equals(self));
        json.put("sentAt", message.sentAt().toString());
        json.put("text", message.text());
        json.put("parents", message.parents().stream().map(Object::toString).toList());
        json.put("delivery", delivery(message.delivery()));
        return json;
    }

    static Map<String, Object> delivery(Delivery delivery) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", delivery.status().name());
        json.put("describe", delivery.describe());
        json.put("reached", delivery.reached());
        json.put("memberCount", delivery.memberCount());
        json.put("missing", ids(delivery.missing().stream().sorted().toList()));
        return json;
    }

    static Map<String, Object> joinRequest(JoinRequest request) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("group", request.group().toString());
        json.put("groupName", request.groupName());
        json.put("requester", request.requester().toString());
        json.put("requesterId", request.requester().peerId().toString());
        json.put("requesterShort", request.requester().peerId().shortText());
        json.put("via", request.via().toString());
        json.put("receivedAt", request.receivedAt().toString());
        return json;
    }

    static Map<String, Object> trace(MessageTrace trace) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("receivedFrom", ids(trace.receivedFrom()));
        json.put("handedTo", ids(trace.handedTo()));
        json.put("acknowledgedBy", ids(trace.acknowledgedBy().stream().sorted().toList()));
        return json;
    }

    /**
     * A planned step; {@code seen} when this node took part in it and its trace shows it: it received the
     * message from {@code from}, or handed it to {@code to}.
     */
    static Map<String, Object> step(MessagePath.Step step, PeerId self, Optional<MessageTrace> trace) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("from", step.from().toString());
        json.put("to", step.to().toString());
        json.put("route", step.route().toString());
        json.put("kind", step.kind().name().toLowerCase());
        json.put("hop", step.hop());
        json.put("targetDown", step.targetDown());
        boolean seen = trace.map(t -> (step.to().equals(self) && t.receivedFrom().contains(step.from()))
                || (step.from().equals(self) && t.handedTo().contains(step.to()))).orElse(false);
        json.put("seen", seen);
        return json;
    }

    static List<String> ids(Collection<PeerId> peers) {
        return peers.stream().map(PeerId::toString).toList();
    }
}
