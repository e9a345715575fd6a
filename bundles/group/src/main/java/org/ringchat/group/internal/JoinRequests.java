package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.JoinRequest;
import org.ringchat.api.Member;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.RingchatException;
import org.ringchat.spi.StateStore;
import org.ringchat.wire.MalformedInputException;
import org.ringchat.wire.WireReader;
import org.ringchat.wire.WireWriter;

/**
 * Asking to join through any member: a non-member sends a JOIN_REQUEST to a member, which passes it to
 * the owners and tells the requester so (JOIN_ANSWER); an owner keeps the requests, stored, until it lets
 * the requester in (an invitation) or declines. Both sides of it live here.
 */
final class JoinRequests {

    private static final System.Logger LOG = System.getLogger(JoinRequests.class.getName());
    private static final String STORE_MAP = "join-requests";
    private static final int MAX_PER_GROUP = 100;

    private final PeerId self;
    private final Groups groups;
    private final Invitations invitations;
    private final PeerFrames frames;
    private final CommitTurn turn;
    private final Events events;
    private final EngineLoop loop;
    private final Supplier<Duration> answerTimeout;
    private final StateStore.StoreMap stored;
    /** Requests waiting for this node's decision, oldest first. */
    private final Map<Key, JoinRequest> waiting = new LinkedHashMap<>();
    /** This node's own requests, waiting for the member to pass them on. */
    private final Map<Key, CompletableFuture<Void>> asked = new HashMap<>();

    /** A join request by group and peer (the requester, or the member asked). */
    private record Key(GroupId group, PeerId peer) {

        String storeKey() {
            return group + "/" + peer;
        }
    }

    JoinRequests(PeerId self, Groups groups, Invitations invitations, PeerFrames frames, CommitTurn turn,
                 Events events, EngineLoop loop, StateStore store, Supplier<Duration> answerTimeout) {
        this.self = self;
        this.groups = groups;
        this.invitations = invitations;
        this.frames = frames;
        this.turn = turn;
        this.events = events;
        this.loop = loop;
        this.stored = store.map(STORE_MAP);
        this.answerTimeout = answerTimeout;
    }

    // ---------------------------------------------------------------- the requester's side

    /** Asks a member to pass this node's request on; completes when it did. */
    CompletableFuture<Void> ask(PeerAddress member, GroupId groupId) {
        if (groups.get(groupId) != null) {
            throw new RingchatException("this node is already a member of group " + groupId);
        }
        Key key = new Key(groupId, member.peerId());
        CompletableFuture<Void> passedOn = new CompletableFuture<>();
        asked.put(key, passedOn);
        Duration patience = answerTimeout.get();
        loop.schedule(patience.toMillis(), () -> fail(key, "no answer from " + member + " within "
                + patience.toSeconds() + " s"));
        frames.send(member, FrameType.JOIN_REQUEST, new JoinFrames.Request(groupId, frames.localAddress()).encode())
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        loop.execute(() -> fail(key, "cannot reach " + member + ": " + Errors.rootMessage(error)),
                                () -> { });
                    }
                });
        return passedOn;
    }

    private void fail(Key key, String reason) {
        CompletableFuture<Void> request = asked.remove(key);
        if (request != null) {
            request.completeExceptionally(new RingchatException(reason));
        }
    }

    void onAnswer(PeerId from, JoinFrames.Answer answer) {
        switch (answer.code()) {
            case JoinFrames.PASSED_ON -> {
                CompletableFuture<Void> request = asked.remove(new Key(answer.group(), from));
                if (request != null) {
                    request.complete(null);
                }
            }
            case JoinFrames.NOT_A_MEMBER -> fail(new Key(answer.group(), from),
                    from.shortText() + " is not a member of group " + answer.group());
            default -> {
                LOG.log(INFO, "{0} declined this node''s request to join group {1}", from.shortText(), answer.group());
                events.fire(l -> l.joinDeclined(answer.group(), from));
            }
        }
    }

    // ---------------------------------------------------------------- the members' and owners' side

    /**
     * A join request, straight from the requester or passed on by a member. An owner keeps it for a
     * decision; a member that is not an owner passes it to the owners. The requester hears that it was
     * passed on, or that this node is not a member.
     */
    void onRequest(PeerId from, JoinFrames.Request request) {
        boolean direct = from.equals(request.requester().peerId());
        Group group = groups.get(request.group());
        if (direct && group == null) {
            frames.send(request.requester(), FrameType.JOIN_ANSWER,
                    new JoinFrames.Answer(request.group(), JoinFrames.NOT_A_MEMBER).encode());
            return;
        }
        if (group == null || (!direct && !group.info.isMember(from))) {
            LOG.log(WARNING, "rejected join request passed on by {0}: not a member of that group", from);
            return;
        }
        if (group.info.isMember(request.requester().peerId())) {
            return;
        }
        if (group.info.isOwner(self)) {
            keep(new JoinRequest(group.info.id(), group.info.name(), request.requester(), from,
                    Instant.ofEpochMilli(loop.nowMillis())));
        } else if (direct) {
            byte[] body = request.encode();
            group.info.members().stream().filter(Member::owner)
                    .forEach(owner -> frames.send(owner.address(), FrameType.JOIN_REQUEST, body));
        }
        if (direct) {
            frames.send(request.requester(), FrameType.JOIN_ANSWER,
                    new JoinFrames.Answer(request.group(), JoinFrames.PASSED_ON).encode());
        }
    }

    List<JoinRequest> waiting() {
        return List.copyOf(waiting.values());
    }

    /** Lets the requester in: invites it. */
    CompletableFuture<GroupInfo> accept(GroupId groupId, PeerId requester) {
        return invitations.invite(groupId, waitingRequest(groupId, requester).requester());
    }

    void reject(GroupId groupId, PeerId requester) {
        JoinRequest request = waitingRequest(groupId, requester);
        forget(new Key(groupId, requester));
        frames.send(request.requester(), FrameType.JOIN_ANSWER, new JoinFrames.Answer(groupId, JoinFrames.DECLINED).encode());
    }

    /** Forgets the requests a group's new state settled: the requester is in, or this node no longer decides. */
    void stateChanged(Group group) {
        GroupInfo info = group.info;
        List.copyOf(waiting.keySet()).stream()
                .filter(k -> k.group().equals(info.id()) && (info.isMember(k.peer()) || !info.isOwner(self)))
                .forEach(this::forget);
    }

    /** Reads the stored requests that still wait for this node's decision. */
    void load() {
        stored.forEach((key, bytes) -> {
            try {
                WireReader r = new WireReader(bytes);
                PeerId via = PeerId.fromBytes(r.bytes(PeerId.LENGTH));
                long receivedAt = r.i64();
                JoinFrames.Request request = JoinFrames.Request.decode(r.bytes(bytes.length - PeerId.LENGTH - 8));
                Group group = groups.get(request.group());
                if (group != null && group.info.isOwner(self) && !group.info.isMember(request.requester().peerId())) {
                    waiting.put(new Key(request.group(), request.requester().peerId()), new JoinRequest(
                            request.group(), group.info.name(), request.requester(), via, Instant.ofEpochMilli(receivedAt)));
                } else {
                    stored.remove(key);
                }
            } catch (MalformedInputException | IllegalArgumentException e) {
                LOG.log(WARNING, "skipped unreadable stored join request {0}: {1}", key, e.getMessage());
            }
        });
    }

    private JoinRequest waitingRequest(GroupId groupId, PeerId requester) {
        JoinRequest request = waiting.get(new Key(groupId, requester));
        if (request == null) {
            throw new RingchatException("no join request from " + requester.shortText() + " is waiting; see 'requests'");
        }
        return request;
    }

    private void keep(JoinRequest request) {
        Key key = new Key(request.group(), request.requester().peerId());
        long fromGroup = waiting.keySet().stream().filter(k -> k.group().equals(request.group())).count();
        if (waiting.containsKey(key) || fromGroup >= MAX_PER_GROUP) {
            return;
        }
        waiting.put(key, request);
        stored.put(key.storeKey(), new WireWriter().bytes(request.via().toBytes())
                .i64(request.receivedAt().toEpochMilli()).bytes(new JoinFrames.Request(request.group(),
                        request.requester()).encode()).toByteArray());
        turn.commit();
        LOG.log(INFO, "{0} asks to join ''{1}''", request.requester(), request.groupName());
        events.fire(l -> l.joinRequested(request));
    }

    private void forget(Key key) {
        if (waiting.remove(key) != null) {
            stored.remove(key.storeKey());
            turn.commit();
        }
    }
}
