package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.ERROR;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupChat;
import org.ringchat.api.GroupChatListener;
import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.JoinRequest;
import org.ringchat.api.Member;
import org.ringchat.api.MessageId;
import org.ringchat.api.MessageTrace;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.Presence;
import org.ringchat.api.RingchatException;
import org.ringchat.spi.FrameReceiver;
import org.ringchat.state.log.AddResult;
import org.ringchat.state.log.Change;
import org.ringchat.state.log.InvalidOpException;
import org.ringchat.state.log.StateLog;
import org.ringchat.state.log.StateOp;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.spi.Ring;
import org.ringchat.spi.StateStore;
import org.ringchat.spi.Topology;
import org.ringchat.spi.Transport;

/**
 * The group protocol of one node: groups, invitations and messages passed round the members.
 *
 * <p>All protocol state is confined to one engine thread: frames from the network and calls through
 * {@link GroupChat} are handed to it, so nothing here needs a lock. A message is stored and committed
 * before it is acknowledged, so an acknowledged message survives a crash of this node; under load,
 * the messages of up to {@value #MAX_TASKS_PER_COMMIT} engine tasks share one commit.
 */
public final class GroupEngine implements GroupChat, FrameReceiver, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GroupEngine.class.getName());
    private static final String GROUPS_MAP = "groups";
    private static final int MAX_PARKED_PER_GROUP = 1000;
    private static final int MAX_JOIN_REQUESTS_PER_GROUP = 100;
    private static final String JOIN_REQUESTS_MAP = "join-requests";
    private static final int ONLINE = 1;
    private static final int OFFLINE = 0;
    /** How long a clean shutdown waits for its notices to be written. */
    private static final Duration NOTICE_WAIT = Duration.ofSeconds(1);
    /**
     * Engine tasks after which stored messages are committed even though more tasks are ready: a busy
     * engine commits once per this many tasks, so what waits for the commit is not held back for long.
     */
    private static final int MAX_TASKS_PER_COMMIT = 128;
    /**
     * How long a message's missing parents may still be on their way (messages take different paths
     * round the group) before this member asks a peer for them.
     */
    private static final Duration MISSING_PARENTS_GRACE = Duration.ofSeconds(1);
    /** How long a changed delivery status may wait for a commit (the failure detector's timers come sooner). */
    private static final Duration STATUS_COMMIT_DELAY = Duration.ofSeconds(1);
    /** Batch signatures remembered as verified: enough for the batches of every member in flight at once. */
    private static final int VERIFIED_BATCHES_KEPT = 1024;

    /**
     * Timing of the protocol.
     *
     * @param ackTimeout          how long a member waits for a target's acknowledgement before handing its part on
     * @param partTimeout         how long a member waits for an acknowledged target to report its part done
     * @param inviteTimeout       how long an owner waits for an invitee to acknowledge
     * @param retryInterval       how long a sender waits before offering a message nobody took again
     * @param probes              the failure detector's timing
     * @param antiEntropyInterval how often a member compares what it holds with a ring neighbour
     */
    public record Settings(Duration ackTimeout, Duration partTimeout, Duration inviteTimeout, Duration retryInterval,
                           FailureDetector.Settings probes, Duration antiEntropyInterval) {

        /** The given timing of acknowledgements, invitations and retries, defaults for the rest. */
        public Settings(Duration ackTimeout, Duration inviteTimeout, Duration retryInterval) {
            this(ackTimeout, ackTimeout.multipliedBy(4), inviteTimeout, retryInterval,
                    FailureDetector.Settings.defaults(), Duration.ofSeconds(5));
        }

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(5));
        }
    }

    private final NodeIdentity identity;
    private final Transport transport;
    private final Supplier<Topology> topology;
    private final StateStore store;
    private final Settings settings;
    private final Clock clock;
    private final PeerId self;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledThreadPoolExecutor engine;
    private final List<GroupChatListener> listeners = new CopyOnWriteArrayList<>();
    private final StateStore.StoreMap groupsMap;

    // Engine-thread state.
    private final Map<GroupId, Group> groups = new HashMap<>();
    private final Scheduler scheduler = new EngineScheduler();
    private final FailureDetector detector;
    private final Dissemination dissemination;
    private final MessageVerifier verifier;
    /** Where to reach the members of this node's groups. */
    private final Map<PeerId, PeerAddress> addresses = new HashMap<>();
    /** This node's messages whose sender waits for the first acknowledgement. */
    private final Map<MessageId, CompletableFuture<ChatMessage>> sending = new HashMap<>();
    private final Map<InviteKey, PendingInvite> pendingInvites = new HashMap<>();
    /** Join requests waiting for this node's decision, oldest first. */
    private final Map<JoinKey, JoinRequest> joinRequests = new LinkedHashMap<>();
    private final StateStore.StoreMap joinRequestsMap;
    /** This node's own requests to join, waiting for the member to pass them on. */
    private final Map<JoinKey, CompletableFuture<Void>> joinsAsked = new HashMap<>();
    /** Written on the engine thread, read by any. */
    private final Map<PeerId, Presence> presence = new ConcurrentHashMap<>();
    private volatile Thread engineThread;
    /** Whether this node has announced itself and resumed its work after loading. */
    private boolean online;
    private int antiEntropyRounds;
    /**
     * Messages are stored at once but committed in groups (see {@link #commitIfIdle}); until then, what
     * would tell anyone that they are stored (acknowledgements, completed sends, listener events) waits
     * here, so that nothing leaves this node that a crash could take back.
     */
    private boolean uncommitted;
    private final List<Runnable> afterCommit = new ArrayList<>();
    /** This node's messages written since the last commit, to be signed together just before it. */
    private final List<UnsignedMessage> unsigned = new ArrayList<>();
    /** Frames of the broadcast and the failure detector queued in this engine turn, by peer, in order. */
    private final Map<PeerId, List<Outgoing>> outbox = new LinkedHashMap<>();
    private int tasksSinceCommit;
    /** Whether delivery statuses were stored since the last commit ({@link #updateStatus}). */
    private boolean statusChanged;
    private long lastCommitNanos;

    /** What this node holds of one group. */
    private static final class Group {
        final StateLog log;
        /** The state the log folds to; refreshed whenever the log changes. */
        GroupInfo info;
        final StateStore.StoreMap ops;
        final StateStore.StoreMap messages;
        final MessageGraph graph = new MessageGraph();
        /** Messages by authors this member does not know yet, held until a state names them. */
        final List<SignedMessage> parked = new ArrayList<>();
        long nextSeq;
        /** The member this one is catching up from, while it does; null otherwise. */
        PeerId syncPeer;
        int syncReceived;
        /** Whether this catch-up brought state changes: the neighbours may have changed. */
        boolean syncChangedState;
        ScheduledFuture<?> syncStall;
        /** Whether a check for missing parents is due ({@link #MISSING_PARENTS_GRACE}). */
        boolean parentsCheckDue;

        Group(StateLog log, StateStore.StoreMap ops, StateStore.StoreMap messages) {
            this.log = log;
            this.ops = ops;
            this.messages = messages;
            log.state().ifPresent(state -> info = state.toGroupInfo());
        }

        List<PeerId> memberIds() {
            return info.members().stream().map(Member::peerId).toList();
        }
    }

    private record InviteKey(GroupId group, PeerId invitee) {
    }

    /** A join request by group and peer (the requester, or the member asked). */
    private record JoinKey(GroupId group, PeerId peer) {

        String storeKey() {
            return group + "/" + peer;
        }
    }

    private record PendingInvite(StateOp invitation, CompletableFuture<GroupInfo> result, ScheduledFuture<?> timeout) {
    }

    public GroupEngine(NodeIdentity identity, Transport transport, Supplier<Topology> topology, StateStore store,
                       Settings settings, Clock clock) {
        this.identity = identity;
        this.transport = transport;
        this.topology = topology;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.self = identity.peerId();
        this.groupsMap = store.map(GROUPS_MAP);
        this.joinRequestsMap = store.map(JOIN_REQUESTS_MAP);
        this.verifier = new MessageVerifier(identity, VERIFIED_BATCHES_KEPT);
        this.engine = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ringchat-engine");
            t.setDaemon(true);
            engineThread = t;
            return t;
        }) {
            @Override
            protected void afterExecute(Runnable task, Throwable error) {
                commitIfIdle();
            }
        };
        // Most timers (a hand-off's acknowledgement, a part's completion) are cancelled long before they are
        // due; left in the queue, thousands of them would slow every task's turn.
        engine.setRemoveOnCancelPolicy(true);
        Link link = this::sendFrame;
        this.detector = new FailureDetector(link, scheduler, settings.probes(), random, addresses::containsKey);
        this.dissemination = new Dissemination(self, link, scheduler, detector, topology, new BroadcastHost(),
                new Dissemination.Settings(settings.ackTimeout().toMillis(), settings.partTimeout().toMillis()));
        // Frames queue behind the loading, which may already ask peers for what this node missed.
        transport.setReceiver(this);
        onEngine(() -> {
            load();
            return null;
        });
        topologyChanged();
    }

    @Override
    public void close() {
        try {
            // A clean shutdown tells the neighbours, so that they pass messages on without trying this node.
            CompletableFuture<?>[] notices = onEngine(() -> announce(false));
            CompletableFuture.allOf(notices).get(NOTICE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RingchatException e) {
            LOG.log(DEBUG, "not every neighbour heard that this node goes offline: {0}", rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.setReceiver(null);
        onEngineLater(detector::close);
        engine.shutdownNow();
        try {
            engine.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- GroupChat

    @Override
    public PeerAddress localAddress() {
        return transport.localAddress();
    }

    @Override
    public GroupInfo createGroup(String name) {
        String checked = checkGroupName(name);
        return onEngine(() -> {
            StateOp genesis = StateOp.genesis(identity, checked, transport.localAddress(), clock.millis());
            Group group = openGroup(genesis.groupId());
            groups.put(genesis.groupId(), group);
            groupsMap.put(genesis.groupId().toString(), new byte[0]);
            applyOps(group, List.of(genesis), self);
            LOG.log(INFO, "created group {0} ''{1}''", group.info.id(), group.info.name());
            return group.info;
        });
    }

    @Override
    public CompletionStage<GroupInfo> invite(GroupId groupId, PeerAddress invitee) {
        return onEngine(() -> startInvite(groupId, invitee));
    }

    @Override
    public CompletionStage<Void> requestJoin(PeerAddress member, GroupId groupId) {
        return onEngine(() -> {
            if (groups.containsKey(groupId)) {
                throw new RingchatException("this node is already a member of group " + groupId);
            }
            JoinKey key = new JoinKey(groupId, member.peerId());
            CompletableFuture<Void> passedOn = new CompletableFuture<>();
            joinsAsked.put(key, passedOn);
            engine.schedule(() -> failJoin(key, "no answer from " + member + " within "
                    + settings.inviteTimeout().toSeconds() + " s"), settings.inviteTimeout().toMillis(), TimeUnit.MILLISECONDS);
            transport.send(member, FrameType.JOIN_REQUEST, new JoinFrames.Request(groupId, transport.localAddress()).encode())
                    .whenComplete((ok, error) -> {
                        if (error != null) {
                            onEngineLater(() -> failJoin(key, "cannot reach " + member + ": " + rootMessage(error)));
                        }
                    });
            return passedOn;
        });
    }

    private void failJoin(JoinKey key, String reason) {
        CompletableFuture<Void> asked = joinsAsked.remove(key);
        if (asked != null) {
            asked.completeExceptionally(new RingchatException(reason));
        }
    }

    @Override
    public List<JoinRequest> joinRequests() {
        return onEngine(() -> List.copyOf(joinRequests.values()));
    }

    @Override
    public CompletionStage<GroupInfo> acceptJoin(GroupId groupId, PeerId requester) {
        return onEngine(() -> {
            JoinRequest request = joinRequest(groupId, requester);
            return startInvite(groupId, request.requester());
        });
    }

    @Override
    public void rejectJoin(GroupId groupId, PeerId requester) {
        onEngine(() -> {
            JoinRequest request = joinRequest(groupId, requester);
            forgetJoinRequest(new JoinKey(groupId, requester));
            transport.send(request.requester(), FrameType.JOIN_ANSWER,
                    new JoinFrames.Answer(groupId, JoinFrames.DECLINED).encode());
            return null;
        });
    }

    private JoinRequest joinRequest(GroupId groupId, PeerId requester) {
        JoinRequest request = joinRequests.get(new JoinKey(groupId, requester));
        if (request == null) {
            throw new RingchatException("no join request from " + requester.shortText() + " is waiting; see 'requests'");
        }
        return request;
    }

    @Override
    public void leave(GroupId groupId) {
        onEngine(() -> change(group(groupId), new Change.Leave()));
    }

    @Override
    public GroupInfo remove(GroupId groupId, PeerId member) {
        return onEngine(() -> {
            Group group = ownedGroup(groupId);
            requireMember(group, member);
            if (member.equals(self)) {
                throw new RingchatException("to remove this node, leave the group");
            }
            return change(group, new Change.RemoveMember(member));
        });
    }

    @Override
    public GroupInfo setOwner(GroupId groupId, PeerId member, boolean owner) {
        return onEngine(() -> {
            Group group = ownedGroup(groupId);
            if (requireMember(group, member).owner() == owner) {
                throw new RingchatException(member.shortText() + (owner ? " is already" : " is not") + " an owner");
            }
            return change(group, owner ? new Change.GrantOwner(member) : new Change.RevokeOwner(member));
        });
    }

    @Override
    public GroupInfo rename(GroupId groupId, String name) {
        String checked = checkGroupName(name);
        return onEngine(() -> {
            Group group = ownedGroup(groupId);
            if (group.info.name().equals(checked)) {
                throw new RingchatException("the group is already called '" + checked + "'");
            }
            return change(group, new Change.Rename(checked));
        });
    }

    private Group ownedGroup(GroupId groupId) {
        Group group = group(groupId);
        if (!group.info.isOwner(self)) {
            throw new RingchatException("only an owner can change '" + group.info.name() + "'");
        }
        return group;
    }

    private static Member requireMember(Group group, PeerId peer) {
        return group.info.member(peer).orElseThrow(() -> new RingchatException(peer.shortText()
                + " is not a member of '" + group.info.name() + "'"));
    }

    @Override
    public List<GroupInfo> groups() {
        return onEngine(() -> groups.values().stream().map(g -> g.info)
                .sorted(Comparator.comparing(GroupInfo::name).thenComparing(GroupInfo::id))
                .toList());
    }

    @Override
    public GroupInfo findGroup(String nameOrIdPrefix) {
        String ref = nameOrIdPrefix.trim();
        if (ref.isEmpty()) {
            throw new RingchatException("name a group by its name or the start of its ID");
        }
        List<GroupInfo> all = groups();
        List<GroupInfo> byName = all.stream().filter(g -> g.name().equals(ref)).toList();
        if (byName.size() == 1) {
            return byName.get(0);
        }
        List<GroupInfo> byId = all.stream().filter(g -> g.id().toString().startsWith(ref.toLowerCase())).toList();
        if (byId.size() == 1) {
            return byId.get(0);
        }
        if (byName.size() > 1 || byId.size() > 1) {
            List<GroupInfo> matches = byName.size() > 1 ? byName : byId;
            throw new RingchatException("'" + ref + "' matches " + matches.size() + " groups ("
                    + String.join(", ", matches.stream().map(g -> g.id().toString().substring(0, 12)).toList())
                    + "); give more of the ID");
        }
        throw new RingchatException("no group named '" + ref + "' or with an ID starting with it; see 'groups'");
    }

    @Override
    public CompletionStage<ChatMessage> send(GroupId groupId, String text) {
        if (text == null || text.isBlank()) {
            throw new RingchatException("nothing to send: the message is empty");
        }
        int size = text.getBytes(StandardCharsets.UTF_8).length;
        if (size > Limits.MAX_TEXT_BYTES) {
            throw new RingchatException("the message has " + size + " bytes; at most " + Limits.MAX_TEXT_BYTES + " fit");
        }
        CompletableFuture<ChatMessage> acknowledged = new CompletableFuture<>();
        // Not waited for: a sender's messages queue up on the engine and go out signed as one batch.
        onEngineLater(() -> {
            try {
                startSend(groupId, text, acknowledged);
            } catch (RingchatException e) {
                acknowledged.completeExceptionally(e);
            }
        }, () -> acknowledged.completeExceptionally(new RingchatException("the node is shutting down")));
        return acknowledged;
    }

    @Override
    public List<ChatMessage> history(GroupId groupId) {
        return onEngine(() -> {
            signWritten(); // what this node has just sent is part of its history
            return group(groupId).graph.ordered().stream().map(MessageRecord::toChatMessage).toList();
        });
    }

    @Override
    public Presence presence(PeerId peer) {
        if (peer.equals(self)) {
            return Presence.ONLINE;
        }
        return onEngine(() -> detector.isDown(peer) ? Presence.OFFLINE : presence.getOrDefault(peer, Presence.UNKNOWN));
    }

    @Override
    public Optional<String> topology() {
        return Optional.ofNullable(topology.get()).map(Topology::name);
    }

    @Override
    public Optional<MessageTrace> trace(GroupId groupId, MessageId message) {
        return onEngine(() -> dissemination.trace(message).filter(t -> t.group().equals(groupId)));
    }

    @Override
    public void addListener(GroupChatListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(GroupChatListener listener) {
        listeners.remove(listener);
    }

    // ---------------------------------------------------------------- frames from peers

    @Override
    public void onFrame(PeerId from, int type, byte[] body) {
        try {
            engine.execute(() -> handleFrame(from, type, body));
        } catch (RejectedExecutionException e) {
            LOG.log(DEBUG, "engine closed; dropped a {0} frame from {1}", FrameType.name(type), from);
        }
    }

    private void handleFrame(PeerId from, int type, byte[] body) {
        try {
            // Only members of this node's groups have a presence: anyone can connect with a key of its own, and
            // remembering them all would let strangers fill this node's memory.
            if (type != FrameType.PRESENCE && addresses.containsKey(from)) {
                presence.put(from, Presence.ONLINE);
                detector.heard(from);
            }
            if (type == FrameType.BUNDLE) {
                onBundle(from, body);
            } else {
                dispatch(from, type, body);
            }
        } catch (MalformedInputException | IllegalArgumentException e) {
            LOG.log(WARNING, "rejected malformed {0} frame from {1}: {2}", FrameType.name(type), from, e.getMessage());
        }
    }

    private void onBundle(PeerId from, byte[] body) {
        for (Bundle.Entry frame : Bundle.decode(body)) {
            try {
                dispatch(from, frame.type(), frame.body());
            } catch (MalformedInputException | IllegalArgumentException e) {
                LOG.log(WARNING, "rejected malformed {0} frame in a bundle from {1}: {2}", FrameType.name(frame.type()),
                        from, e.getMessage());
            }
        }
    }

    private void dispatch(PeerId from, int type, byte[] body) {
        switch (type) {
            case FrameType.PRESENCE -> onPresence(from, body);
            case FrameType.JOIN_REQUEST -> onJoinRequest(from, JoinFrames.Request.decode(body));
            case FrameType.JOIN_ANSWER -> onJoinAnswer(from, JoinFrames.Answer.decode(body));
            case FrameType.INVITE -> onInvite(from, OpsCodec.GroupOps.decode(body));
            case FrameType.INVITE_ACK -> onInviteAck(from, OpRef.decode(body));
            case FrameType.STATE -> onState(from, OpsCodec.GroupOps.decode(body));
            case FrameType.CHAT, FrameType.CHAT_ACK, FrameType.PART_DONE, FrameType.CONFIRM ->
                    dissemination.onFrame(from, type, body);
            case FrameType.PROBE, FrameType.PROBE_ACK, FrameType.PROBE_REQUEST -> detector.onFrame(from, type, body);
            case FrameType.SYNC_REQUEST -> onSyncRequest(from, SyncRequest.decode(body));
            case FrameType.SYNC_BATCH -> onSyncBatch(from, SyncBatch.decode(body));
            default -> LOG.log(WARNING, "rejected frame of unknown type {0} from {1}", FrameType.name(type), from);
        }
    }

    // ---------------------------------------------------------------- join requests

    /**
     * A join request, straight from the requester or passed on by a member. An owner keeps it for a
     * decision; a member that is not an owner passes it to the owners. The requester hears that it was
     * passed on, or that this node is not a member.
     */
    private void onJoinRequest(PeerId from, JoinFrames.Request request) {
        boolean direct = from.equals(request.requester().peerId());
        Group group = groups.get(request.group());
        if (direct && group == null) {
            transport.send(request.requester(), FrameType.JOIN_ANSWER,
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
            keepJoinRequest(new JoinRequest(group.info.id(), group.info.name(), request.requester(), from,
                    clock.instant()));
        } else if (direct) {
            byte[] body = request.encode();
            group.info.members().stream().filter(Member::owner)
                    .forEach(owner -> transport.send(owner.address(), FrameType.JOIN_REQUEST, body));
        }
        if (direct) {
            transport.send(request.requester(), FrameType.JOIN_ANSWER,
                    new JoinFrames.Answer(request.group(), JoinFrames.PASSED_ON).encode());
        }
    }

    private void keepJoinRequest(JoinRequest request) {
        JoinKey key = new JoinKey(request.group(), request.requester().peerId());
        long waiting = joinRequests.keySet().stream().filter(k -> k.group().equals(request.group())).count();
        if (joinRequests.containsKey(key) || waiting >= MAX_JOIN_REQUESTS_PER_GROUP) {
            return;
        }
        joinRequests.put(key, request);
        joinRequestsMap.put(key.storeKey(), new WireWriter().bytes(request.via().toBytes())
                .i64(request.receivedAt().toEpochMilli()).bytes(new JoinFrames.Request(request.group(),
                        request.requester()).encode()).toByteArray());
        commit();
        LOG.log(INFO, "{0} asks to join ''{1}''", request.requester(), request.groupName());
        notifyListeners(l -> l.joinRequested(request));
    }

    private void forgetJoinRequest(JoinKey key) {
        if (joinRequests.remove(key) != null) {
            joinRequestsMap.remove(key.storeKey());
            commit();
        }
    }

    private void onJoinAnswer(PeerId from, JoinFrames.Answer answer) {
        switch (answer.code()) {
            case JoinFrames.PASSED_ON -> {
                CompletableFuture<Void> asked = joinsAsked.remove(new JoinKey(answer.group(), from));
                if (asked != null) {
                    asked.complete(null);
                }
            }
            case JoinFrames.NOT_A_MEMBER -> failJoin(new JoinKey(answer.group(), from),
                    from.shortText() + " is not a member of group " + answer.group());
            default -> {
                LOG.log(INFO, "{0} declined this node''s request to join group {1}", from.shortText(), answer.group());
                notifyListeners(l -> l.joinDeclined(answer.group(), from));
            }
        }
    }

    private void loadJoinRequests() {
        joinRequestsMap.forEach((key, bytes) -> {
            try {
                WireReader r = new WireReader(bytes);
                PeerId via = PeerId.fromBytes(r.bytes(PeerId.LENGTH));
                long receivedAt = r.i64();
                JoinFrames.Request request = JoinFrames.Request.decode(r.bytes(bytes.length - PeerId.LENGTH - 8));
                Group group = groups.get(request.group());
                if (group != null && group.info.isOwner(self) && !group.info.isMember(request.requester().peerId())) {
                    joinRequests.put(new JoinKey(request.group(), request.requester().peerId()), new JoinRequest(
                            request.group(), group.info.name(), request.requester(), via, Instant.ofEpochMilli(receivedAt)));
                } else {
                    joinRequestsMap.remove(key);
                }
            } catch (MalformedInputException | IllegalArgumentException e) {
                LOG.log(WARNING, "skipped unreadable stored join request {0}: {1}", key, e.getMessage());
            }
        });
    }

    // ---------------------------------------------------------------- presence

    /**
     * Tells the members this node is linked to in every group, and its ring neighbours, that this node
     * is online or going offline.
     */
    private CompletableFuture<?>[] announce(boolean online) {
        Map<PeerId, PeerAddress> neighbours = new HashMap<>();
        Topology current = topology.get();
        for (Group group : groups.values()) {
            Ring ring = dissemination.ring(group.info.id());
            if (ring == null || current == null) {
                continue;
            }
            Set<PeerId> peers = new HashSet<>(current.links(ring, self));
            if (ring.size() > 1) {
                peers.add(ring.after(self, 1));
                peers.add(ring.after(self, -1));
            }
            peers.remove(self);
            peers.forEach(peer -> group.info.member(peer).ifPresent(m -> neighbours.put(peer, m.address())));
        }
        byte[] body = {(byte) (online ? ONLINE : OFFLINE)};
        return neighbours.values().stream()
                .map(address -> transport.send(address, FrameType.PRESENCE, body).toCompletableFuture()
                        .exceptionally(error -> {
                            presence.put(address.peerId(), Presence.OFFLINE);
                            return null;
                        }))
                .toArray(CompletableFuture[]::new);
    }

    private void onPresence(PeerId from, byte[] body) {
        if (body.length != 1 || (body[0] != ONLINE && body[0] != OFFLINE)) {
            throw new MalformedInputException("a presence notice is one byte, 0 or 1");
        }
        boolean online = body[0] == ONLINE;
        if (!addresses.containsKey(from)) {
            LOG.log(DEBUG, "ignored presence notice from {0}: it shares no group with this node", from);
            return;
        }
        presence.put(from, online ? Presence.ONLINE : Presence.OFFLINE);
        if (online) {
            detector.heard(from);
        } else {
            detector.wentOffline(from);
        }
        LOG.log(INFO, "{0} is {1}", from.shortText(), online ? "back online" : "going offline");
    }

    // ---------------------------------------------------------------- invitations and state

    private CompletableFuture<GroupInfo> startInvite(GroupId groupId, PeerAddress invitee) {
        Group group = group(groupId);
        if (!group.info.isOwner(self)) {
            throw new RingchatException("only an owner can invite to '" + group.info.name() + "'");
        }
        if (invitee.peerId().equals(self)) {
            throw new RingchatException("this node is already in '" + group.info.name() + "'");
        }
        if (group.info.isMember(invitee.peerId())) {
            throw new RingchatException(invitee.peerId().shortText() + " is already a member of '" + group.info.name() + "'");
        }
        InviteKey key = new InviteKey(groupId, invitee.peerId());
        if (pendingInvites.containsKey(key)) {
            throw new RingchatException("an invitation to " + invitee.peerId().shortText() + " is already under way");
        }
        StateOp invitation = StateOp.sign(identity, groupId, group.log.heads(), clock.millis(),
                new Change.AddMember(invitee, false));
        List<StateOp> ops = new ArrayList<>(group.log.ops());
        ops.add(invitation);
        CompletableFuture<GroupInfo> result = new CompletableFuture<>();
        ScheduledFuture<?> timeout = engine.schedule(() -> failInvite(key, "no answer from " + invitee
                + " within " + settings.inviteTimeout().toSeconds() + " s"), settings.inviteTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        pendingInvites.put(key, new PendingInvite(invitation, result, timeout));
        transport.send(invitee, FrameType.INVITE, new OpsCodec.GroupOps(groupId, ops).encode()).whenComplete((ok, error) -> {
            if (error != null) {
                onEngineLater(() -> failInvite(key, "cannot reach " + invitee + ": " + rootMessage(error)));
            }
        });
        return result;
    }

    private void failInvite(InviteKey key, String reason) {
        PendingInvite pending = pendingInvites.remove(key);
        if (pending != null) {
            pending.timeout().cancel(false);
            pending.result().completeExceptionally(new RingchatException(reason));
        }
    }

    /**
     * An invitation carries the group's whole state log; its last op is the one adding this node, signed by
     * the inviting owner. The log is checked in full before this node joins.
     */
    private void onInvite(PeerId from, OpsCodec.GroupOps invite) {
        List<StateOp> ops = invite.ops();
        StateOp invitation = ops.isEmpty() ? null : ops.get(ops.size() - 1);
        if (invitation == null || !invitation.author().equals(from)
                || !(invitation.change() instanceof Change.AddMember add) || !add.address().peerId().equals(self)) {
            LOG.log(WARNING, "rejected invitation from {0}: its last change does not add this node", from);
            return;
        }
        Group known = groups.get(invite.group());
        if (known != null) {
            // Already a member: take what is new, then acknowledge.
            applyOps(known, ops, from);
            sendTo(known.info, from, FrameType.INVITE_ACK, new OpRef(invite.group(), invitation.hash()).encode());
            return;
        }
        StateLog log = new StateLog(invite.group(), identity);
        ops.forEach(log::add);
        GroupInfo state = log.state().map(s -> s.toGroupInfo()).orElse(null);
        if (state == null || !log.contains(invitation.hash()) || !state.isMember(self) || !state.isOwner(from)) {
            LOG.log(WARNING, "rejected invitation from {0}: its state does not make this node a member by an owner",
                    from);
            return;
        }
        Group group = openGroup(invite.group());
        groups.put(invite.group(), group);
        groupsMap.put(invite.group().toString(), new byte[0]);
        applyOps(group, log.ops(), from);
        LOG.log(INFO, "joined group {0} ''{1}'' on invitation by {2}", state.id(), state.name(), from.shortText());
        sendTo(group.info, from, FrameType.INVITE_ACK, new OpRef(invite.group(), invitation.hash()).encode());
        // A newcomer reads the group's history too: fetch it from the member that invited it.
        startSync(group, from);
    }

    private void onInviteAck(PeerId from, OpRef ack) {
        InviteKey key = new InviteKey(ack.group(), from);
        PendingInvite pending = pendingInvites.get(key);
        Group group = groups.get(ack.group());
        if (pending == null || group == null || !pending.invitation().hash().equals(ack.op())) {
            LOG.log(DEBUG, "ignored INVITE_ACK from {0}: no such invitation pending", from);
            return;
        }
        pendingInvites.remove(key);
        pending.timeout().cancel(false);
        List<PeerId> before = group.memberIds();
        applyOps(group, List.of(pending.invitation()), self);
        if (!group.info.isMember(from)) {
            pending.result().completeExceptionally(new RingchatException("the invitation of " + from.shortText()
                    + " no longer holds: the group changed meanwhile"));
            return;
        }
        sendOps(group, List.of(pending.invitation()), before.stream().filter(p -> !p.equals(self)).toList());
        LOG.log(INFO, "{0} joined ''{1}'', now {2} members", from.shortText(), group.info.name(),
                group.info.members().size());
        pending.result().complete(group.info);
    }

    private void onState(PeerId from, OpsCodec.GroupOps update) {
        Group group = groups.get(update.group());
        if (group == null || !group.info.isMember(from)) {
            LOG.log(WARNING, "rejected state changes of group {0} from {1}: not a member of it", update.group(), from);
            return;
        }
        applyOps(group, update.ops(), from);
    }

    /**
     * Adds state operations to a group's log, stores what it accepts and refreshes the state. Operations
     * the log rejects are logged with the sender; missing parents start a catch-up from the sender.
     */
    private void applyOps(Group group, List<StateOp> ops, PeerId from) {
        List<StateOp> accepted = new ArrayList<>();
        boolean missingParents = false;
        for (StateOp op : ops) {
            AddResult result = group.log.add(op);
            accepted.addAll(result.accepted());
            if (result.status() == AddResult.Status.REJECTED) {
                LOG.log(WARNING, "rejected state change {0} from {1}: {2}", op.hash().shortText(), from.shortText(),
                        result.reason());
            }
            result.rejected().forEach(r -> LOG.log(WARNING, "rejected state change {0} from {1}: {2}",
                    r.op().hash().shortText(), from.shortText(), r.reason()));
            missingParents |= result.status() == AddResult.Status.MISSING_PARENTS;
        }
        if (missingParents && !from.equals(self)) {
            startSync(group, from);
        }
        if (accepted.isEmpty()) {
            return;
        }
        accepted.forEach(op -> group.ops.put(op.hash().toString(), op.encode()));
        commit();
        refresh(group);
    }

    private void refresh(Group group) {
        GroupInfo info = group.log.state().orElseThrow().toGroupInfo();
        group.info = info;
        placeOnRing(group);
        List.copyOf(joinRequests.keySet()).stream()
                .filter(k -> k.group().equals(info.id()) && (info.isMember(k.peer()) || !info.isOwner(self)))
                .forEach(this::forgetJoinRequest);
        notifyListeners(l -> l.groupUpdated(info));
        if (!info.isMember(self)) {
            groups.remove(info.id());
            groupsMap.remove(info.id().toString());
            commit();
            placeOnRing(group);
            LOG.log(INFO, "this node is no longer a member of ''{0}''", info.name());
            return;
        }
        releaseParked(group);
    }

    /** Passes new state operations to the given members. */
    private void sendOps(Group group, List<StateOp> ops, List<PeerId> to) {
        byte[] body = new OpsCodec.GroupOps(group.log.groupId(), ops).encode();
        String name = group.info.name();
        for (PeerId peer : to) {
            group.info.member(peer).or(() -> memberOf(group, peer)).ifPresent(m ->
                    transport.send(m.address(), FrameType.STATE, body).whenComplete((ok, error) -> {
                        if (error != null) {
                            LOG.log(INFO, "could not send changes of ''{0}'' to {1}: {2}", name,
                                    peer.shortText(), rootMessage(error));
                        }
                    }));
        }
    }

    /** A member as the state's log last listed it, also after it left or was removed. */
    private Optional<Member> memberOf(Group group, PeerId peer) {
        return group.log.ops().stream()
                .map(StateOp::change)
                .filter(c -> c instanceof Change.AddMember add && add.address().peerId().equals(peer))
                .map(c -> new Member(((Change.AddMember) c).address(), false))
                .reduce((first, second) -> second);
    }

    /** Makes a change of this node's own, stores it and passes it to every member it concerns. */
    private GroupInfo change(Group group, Change change) {
        List<PeerId> before = group.memberIds();
        StateOp op = StateOp.sign(identity, group.log.groupId(), group.log.heads(), clock.millis(), change);
        AddResult result = group.log.add(op);
        if (result.status() != AddResult.Status.ACCEPTED) {
            throw new RingchatException("the change was refused: " + result.reason());
        }
        result.accepted().forEach(o -> group.ops.put(o.hash().toString(), o.encode()));
        commit();
        sendOps(group, result.accepted(), before.stream().filter(p -> !p.equals(self)).toList());
        refresh(group);
        return group.info;
    }

    // ---------------------------------------------------------------- messages

    /** Writes a message; it is signed, stored and offered with the others written before the next commit. */
    private void startSend(GroupId groupId, String text, CompletableFuture<ChatMessage> acknowledged) {
        Group group = group(groupId);
        // The author's own order holds within a batch: each message follows the one written before it.
        List<MessageId> parents = unsigned.stream().filter(p -> p.group() == group).reduce((first, second) -> second)
                .map(p -> List.of(p.draft().id()))
                .orElseGet(() -> group.graph.parentsForNewMessage(Limits.MAX_PARENTS));
        SignedMessage.Draft draft = new SignedMessage.Draft(groupId, MessageId.random(random), parents, clock.instant(),
                group.log.heads().stream().limit(Limits.MAX_STATE_HEADS).toList(), text);
        unsigned.add(new UnsignedMessage(group, draft, acknowledged));
    }

    /**
     * Signs the messages written since the last commit as one batch (one Ed25519 signature for up to
     * {@value SignedMessage#MAX_BATCH}, each message still verifiable on its own), stores and offers them.
     */
    private void signWritten() {
        if (unsigned.isEmpty()) {
            return;
        }
        List<UnsignedMessage> batch = List.copyOf(unsigned);
        unsigned.clear();
        List<SignedMessage> signed = SignedMessage.signBatch(identity, batch.stream().map(UnsignedMessage::draft).toList());
        for (int i = 0; i < batch.size(); i++) {
            UnsignedMessage written = batch.get(i);
            Group group = written.group();
            if (groups.get(group.info.id()) != group) {
                written.acknowledged().completeExceptionally(new RingchatException(
                        "this node left '" + group.info.name() + "' before the message went out"));
                continue;
            }
            MessageRecord record = append(group, signed.get(i), Delivery.Status.PENDING, 1);
            if (group.info.members().size() == 1) {
                record.confirm(Dissemination.Missing.NONE);
                update(group, record);
                ChatMessage snapshot = record.toChatMessage();
                afterCommit(() -> written.acknowledged().complete(snapshot));
            } else {
                sending.put(record.message.id, written.acknowledged());
                offer(group, record);
            }
        }
    }

    /** Broadcasts this node's own message; again after a while if nobody took it. */
    private void offer(Group group, MessageRecord record) {
        WireWriter w = new WireWriter();
        record.message.write(w);
        dissemination.originate(group.info.id(), record.message.id, w.toByteArray());
    }

    /** What the broadcast asks of this node's groups and messages. */
    private final class BroadcastHost implements Dissemination.Host {

        @Override
        public Dissemination.Admission admit(PeerId from, GroupId groupId, MessageId id, byte[] payload) {
            Group group = groups.get(groupId);
            if (group == null) {
                LOG.log(WARNING, "rejected message for unknown group {0} from {1}", groupId, from);
                return Dissemination.Admission.REJECTED;
            }
            if (!group.info.isMember(from)) {
                LOG.log(WARNING, "rejected message in ''{0}'' relayed by {1}: not a member", group.info.name(), from);
                return Dissemination.Admission.REJECTED;
            }
            WireReader reader = new WireReader(payload);
            SignedMessage message = SignedMessage.read(reader);
            reader.expectEnd();
            if (!message.id.equals(id)) {
                LOG.log(WARNING, "rejected message {0} from {1}: its frame names {2}", message.id, from, id);
                return Dissemination.Admission.REJECTED;
            }
            if (message.author.equals(self) && group.graph.contains(message.id)) {
                return Dissemination.Admission.DUPLICATE;
            }
            Admission admission = GroupEngine.this.admit(group, message, from);
            if (admission != Admission.REJECTED && admission != Admission.DUPLICATE && !group.graph.hasParentsOf(message)) {
                // It follows messages this member never got: it was away, or they are still on their way.
                syncIfStillIncomplete(group, from);
            }
            return switch (admission) {
                case NEW, HELD -> Dissemination.Admission.NEW;
                case DUPLICATE -> Dissemination.Admission.DUPLICATE;
                case REJECTED -> Dissemination.Admission.REJECTED;
            };
        }

        @Override
        public void acknowledged(GroupId groupId, MessageId id, PeerId by) {
            MessageRecord record = ownRecord(groupId, id);
            if (record != null && record.status == Delivery.Status.PENDING) {
                record.status = Delivery.Status.ACKNOWLEDGED;
                record.reached = 2;
                updateStatus(groups.get(groupId), record);
            }
            completeSend(id, record);
        }

        @Override
        public void completed(GroupId groupId, MessageId id, boolean taken, Dissemination.Missing missing) {
            MessageRecord record = ownRecord(groupId, id);
            if (record == null || record.status == Delivery.Status.CONFIRMED) {
                return;
            }
            Group group = groups.get(groupId);
            if (!taken) {
                LOG.log(INFO, "no member of ''{0}'' took message {1}; retrying in {2} s", group.info.name(), id,
                        settings.retryInterval().toSeconds());
                scheduler.schedule(settings.retryInterval().toMillis(), () -> {
                    if (groups.get(groupId) == group && record.status != Delivery.Status.CONFIRMED) {
                        offer(group, record);
                    }
                });
                return;
            }
            record.confirm(missing);
            updateStatus(group, record);
            completeSend(id, record);
            dissemination.confirm(groupId, id, missing);
        }

        @Override
        public void confirmed(GroupId groupId, MessageId id, Dissemination.Missing missing) {
            Group group = groups.get(groupId);
            MessageRecord record = group == null ? null : group.graph.get(id);
            if (record == null || record.status == Delivery.Status.CONFIRMED || record.message.author.equals(self)) {
                return;
            }
            record.confirm(missing);
            updateStatus(group, record);
        }

        private MessageRecord ownRecord(GroupId groupId, MessageId id) {
            Group group = groups.get(groupId);
            MessageRecord record = group == null ? null : group.graph.get(id);
            return record != null && record.message.author.equals(self) ? record : null;
        }

        private void completeSend(MessageId id, MessageRecord record) {
            CompletableFuture<ChatMessage> waiting = sending.remove(id);
            if (waiting != null && record != null) {
                ChatMessage snapshot = record.toChatMessage();
                afterCommit(() -> waiting.complete(snapshot));
            }
        }
    }

    private enum Admission { NEW, DUPLICATE, HELD, REJECTED }

    private record UnsignedMessage(Group group, SignedMessage.Draft draft, CompletableFuture<ChatMessage> acknowledged) {
    }

    /** Checks a message from a peer and, if it is new and good, adds it to the group's history. */
    private Admission admit(Group group, SignedMessage message, PeerId from) {
        if (!message.group.equals(group.info.id())) {
            LOG.log(WARNING, "rejected message {0} from {1}: it belongs to another group", message.id, from);
            return Admission.REJECTED;
        }
        if (group.graph.contains(message.id) || isParked(group, message.id)) {
            return Admission.DUPLICATE;
        }
        if (!verifier.verify(message)) {
            LOG.log(WARNING, "rejected message {0} in ''{1}'' from {2}: bad signature", message.id,
                    group.info.name(), from);
            return Admission.REJECTED;
        }
        Optional<Boolean> authorIsMember = authorWasMember(group, message);
        if (authorIsMember.isEmpty()) {
            if (message.stateHeads.isEmpty() || group.parked.size() >= MAX_PARKED_PER_GROUP) {
                LOG.log(WARNING, "rejected message {0} in ''{1}'': it names no state this member can hold",
                        message.id, group.info.name());
                return Admission.REJECTED;
            }
            // The author knows state changes this member lacks (it may just have been invited): hold the
            // message and fetch them.
            group.parked.add(message);
            startSync(group, from);
            return Admission.HELD;
        }
        if (!authorIsMember.get()) {
            LOG.log(WARNING, "rejected message {0} in ''{1}'': its author {2} is not a member as of the state it names",
                    message.id, group.info.name(), message.author.shortText());
            return Admission.REJECTED;
        }
        if (wouldBeOwnAncestor(group, message)) {
            return Admission.REJECTED;
        }
        append(group, message, Delivery.Status.RECEIVED, 0);
        return Admission.NEW;
    }

    private static boolean wouldBeOwnAncestor(Group group, SignedMessage message) {
        if (!group.graph.wouldBeOwnAncestor(message)) {
            return false;
        }
        LOG.log(WARNING, "rejected message {0} in ''{1}'' by {2}: it names itself among its ancestors", message.id,
                group.info.name(), message.author.shortText());
        return true;
    }

    /** Whether the author is a member in the state the message names; empty while this member lacks that state. */
    private static Optional<Boolean> authorWasMember(Group group, SignedMessage message) {
        return group.log.stateAt(message.stateHeads).map(state -> state.isMember(message.author));
    }

    private boolean isParked(Group group, MessageId id) {
        return group.parked.stream().anyMatch(m -> m.id.equals(id));
    }

    private void releaseParked(Group group) {
        List<SignedMessage> parked = new ArrayList<>(group.parked);
        group.parked.clear();
        for (SignedMessage message : parked) {
            Optional<Boolean> authorIsMember = authorWasMember(group, message);
            if (authorIsMember.isEmpty()) {
                group.parked.add(message);
            } else if (authorIsMember.get()) {
                if (!wouldBeOwnAncestor(group, message)) {
                    append(group, message, Delivery.Status.RECEIVED, 0);
                }
            } else {
                LOG.log(WARNING, "dropped held message {0} in ''{1}'': its author {2} is not a member as of the "
                        + "state it names", message.id, group.info.name(), message.author.shortText());
            }
        }
    }

    private MessageRecord append(Group group, SignedMessage message, Delivery.Status status, int reached) {
        MessageRecord record = new MessageRecord(message, String.format("%016x", group.nextSeq++), status, reached,
                group.info.members().size());
        group.graph.add(record);
        update(group, record);
        return record;
    }

    private void update(Group group, MessageRecord record) {
        uncommitted = true;
        put(group, record);
    }

    /**
     * Stores a message's new delivery status without a commit of its own: it goes with the next one, at
     * the latest {@link #STATUS_COMMIT_DELAY} later. A crash before that shows the message's earlier status
     * after the restart, which the protocol mends (the author offers a pending message again).
     */
    private void updateStatus(Group group, MessageRecord record) {
        statusChanged = true;
        put(group, record);
    }

    /** Stores a record; its listeners hear of it once what is stored before it is committed. */
    private void put(Group group, MessageRecord record) {
        group.messages.put(record.storeKey, record.encode());
        ChatMessage snapshot = record.toChatMessage();
        afterCommit(() -> notifyListeners(l -> l.messageUpdated(snapshot)));
    }

    /** Runs an action once what is stored so far is committed: now, if nothing waits for a commit. */
    private void afterCommit(Runnable action) {
        if (uncommitted) {
            afterCommit.add(action);
        } else {
            action.run();
        }
    }

    /**
     * After every engine task: commits when no other task is ready to run, or after
     * {@link #MAX_TASKS_PER_COMMIT} tasks. Under load many messages share one commit (one chunk written);
     * an idle engine commits at once, so a lone message waits for nothing.
     */
    private void commitIfIdle() {
        boolean statusDue = statusChanged && System.nanoTime() - lastCommitNanos >= STATUS_COMMIT_DELAY.toNanos();
        if (unsigned.isEmpty() && !uncommitted && outbox.isEmpty() && !statusDue) {
            return;
        }
        if (++tasksSinceCommit < MAX_TASKS_PER_COMMIT && hasReadyTask()) {
            return;
        }
        tasksSinceCommit = 0;
        try {
            signWritten();
            // Messages handed on need not wait for the disk; the acknowledgements the commit releases go next.
            flushOutbox();
            if (uncommitted || statusDue) {
                commit();
            }
        } catch (RuntimeException e) {
            // What waits stays held: it is released by the next commit that succeeds.
            LOG.log(ERROR, "could not commit the store; the messages since the last commit are not acknowledged", e);
        }
        flushOutbox();
    }

    private boolean hasReadyTask() {
        Runnable next = engine.getQueue().peek();
        return next != null && (!(next instanceof RunnableScheduledFuture<?> timed) || timed.getDelay(TimeUnit.NANOSECONDS) <= 0);
    }

    /** Commits the store and releases what waited for it. */
    private void commit() {
        store.commit();
        lastCommitNanos = System.nanoTime();
        uncommitted = false;
        statusChanged = false;
        List<Runnable> released = List.copyOf(afterCommit);
        afterCommit.clear();
        released.forEach(Runnable::run);
    }

    // ---------------------------------------------------------------- catching up

    /**
     * Catches up from a peer if, a moment from now, messages are still missing. Under load most missing
     * parents are merely still on their way, and a catch-up would only fetch them a second time.
     */
    private void syncIfStillIncomplete(Group group, PeerId peer) {
        if (group.parentsCheckDue) {
            return;
        }
        group.parentsCheckDue = true;
        syncLater(group, peer, () -> {
            group.parentsCheckDue = false;
            return !group.graph.isComplete();
        });
    }

    /** Catches up from a peer {@link #MISSING_PARENTS_GRACE} from now, if the group still needs it then. */
    private void syncLater(Group group, PeerId peer, BooleanSupplier stillNeeded) {
        scheduler.schedule(MISSING_PARENTS_GRACE.toMillis(), () -> {
            if (stillNeeded.getAsBoolean() && groups.get(group.info.id()) == group) {
                startSync(group, peer);
            }
        });
    }

    /**
     * Asks a member for every message this one lacks, naming the heads of what it holds completely.
     * One catch-up per group at a time; it goes on batch by batch until the member has nothing more.
     */
    private void startSync(Group group, PeerId peer) {
        if (group.syncPeer != null) {
            return;
        }
        group.syncPeer = peer;
        group.syncReceived = 0;
        requestNextBatch(group);
    }

    private void requestNextBatch(Group group) {
        PeerId peer = group.syncPeer;
        Optional<Member> member = group.info.member(peer);
        if (member.isEmpty()) {
            group.syncPeer = null;
            return;
        }
        byte[] body = new SyncRequest(group.info.id(), group.log.heads().stream().limit(Limits.MAX_SYNC_HEADS).toList(),
                group.graph.syncHeads(Limits.MAX_SYNC_HEADS)).encode();
        ScheduledFuture<?> stall = engine.schedule(() -> abandonSync(group, peer, "no answer"),
                settings.inviteTimeout().toMillis(), TimeUnit.MILLISECONDS);
        group.syncStall = stall;
        transport.send(member.get().address(), FrameType.SYNC_REQUEST, body).whenComplete((ok, error) -> {
            if (error != null) {
                onEngineLater(() -> abandonSync(group, peer, rootMessage(error)));
            }
        });
    }

    private void abandonSync(Group group, PeerId peer, String reason) {
        if (!peer.equals(group.syncPeer)) {
            return;
        }
        group.syncStall.cancel(false);
        group.syncPeer = null;
        LOG.log(INFO, "could not catch up on ''{0}'' from {1}: {2}", group.info.name(), peer.shortText(), reason);
        // Try the member after it on the ring, if there is one that is not this one.
        Ring ring = dissemination.ring(group.info.id());
        if (ring != null && ring.contains(peer)) {
            PeerId next = ring.after(peer, 1);
            if (!next.equals(self) && ring.distance(self, next) > ring.distance(self, peer)) {
                startSync(group, next);
            }
        }
    }

    private void onSyncRequest(PeerId from, SyncRequest request) {
        Group group = groups.get(request.group());
        if (group == null || !group.info.isMember(from)) {
            LOG.log(WARNING, "rejected catch-up request from {0}: not a member of its group", from);
            return;
        }
        int budget = transport.maxFrameSize() / 2;
        int size = 0;
        List<StateOp> ops = new ArrayList<>();
        for (StateOp op : group.log.since(request.stateHeads())) {
            int length = op.encode().length + 2;
            if (size + length > budget || ops.size() == OpsCodec.MAX_OPS) {
                break;
            }
            ops.add(op);
            size += length;
        }
        List<MessageRecord> missing = group.graph.missingFor(request.messageHeads());
        List<SignedMessage> batch = new ArrayList<>();
        for (MessageRecord record : missing) {
            int length = record.message.encodedLength();
            if (size + length > budget || batch.size() == SyncBatch.MAX_MESSAGES) {
                break;
            }
            batch.add(record.message);
            size += length;
        }
        sendTo(group.info, from, FrameType.SYNC_BATCH,
                new SyncBatch(group.info.id(), ops, missing.size() - batch.size(), batch).encode());
        if (holdsMore(group, request)) {
            // The asker holds messages this member lacks: catch up from it in turn, unless they were only
            // on their way here.
            syncLater(group, from, () -> holdsMore(group, request));
        }
    }

    /** Whether the asker of a catch-up names messages or state changes this member lacks. */
    private static boolean holdsMore(Group group, SyncRequest request) {
        return request.messageHeads().stream().anyMatch(h -> !group.graph.contains(h))
                || request.stateHeads().stream().anyMatch(h -> !group.log.contains(h));
    }

    private void onSyncBatch(PeerId from, SyncBatch batch) {
        Group group = groups.get(batch.group());
        if (group == null || !from.equals(group.syncPeer)) {
            LOG.log(DEBUG, "ignored a catch-up batch from {0}: not asked for", from);
            return;
        }
        group.syncStall.cancel(false);
        group.syncChangedState |= !batch.ops().isEmpty();
        applyOps(group, batch.ops(), from);
        if (groups.get(batch.group()) != group) {
            return;
        }
        for (SignedMessage message : batch.messages()) {
            if (admit(group, message, from) == Admission.NEW) {
                group.syncReceived++;
            }
        }
        int received = group.syncReceived;
        long total = received + batch.remaining();
        GroupInfo info = group.info;
        if (total > 0) {
            // Anti-entropy asks every few seconds; only a catch-up that brings something is news.
            notifyListeners(l -> l.catchingUp(info, received, total));
        }
        if (batch.remaining() > 0 && !(batch.messages().isEmpty() && batch.ops().isEmpty())) {
            requestNextBatch(group);
        } else {
            group.syncPeer = null;
            if (group.syncChangedState) {
                group.syncChangedState = false;
                announce(true);
            }
            if (received > 0) {
                LOG.log(INFO, "caught up on ''{0}'': {1} messages from {2}", info.name(), received, from.shortText());
            }
        }
    }

    // ---------------------------------------------------------------- loading

    private void load() {
        groupsMap.forEach((key, marker) -> {
            try {
                GroupId id = GroupId.parse(key);
                Group group = openGroup(id);
                group.ops.forEach((hash, bytes) -> {
                    try {
                        group.log.add(StateOp.decode(bytes));
                    } catch (InvalidOpException e) {
                        LOG.log(WARNING, "skipped unreadable stored state change {0}: {1}", hash, e.getMessage());
                    }
                });
                GroupInfo info = group.log.state().map(state -> state.toGroupInfo()).orElse(null);
                if (info == null || !info.isMember(self)) {
                    LOG.log(WARNING, "skipped stored group {0}: its state does not list this node", key);
                    return;
                }
                group.info = info;
                group.messages.forEach((seqKey, recordBytes) -> {
                    MessageRecord record = MessageRecord.decode(seqKey, recordBytes);
                    group.graph.add(record);
                    group.nextSeq = Long.parseUnsignedLong(seqKey, 16) + 1;
                });
                groups.put(id, group);
            } catch (MalformedInputException | IllegalArgumentException e) {
                LOG.log(WARNING, "skipped unreadable stored group {0}: {1}", key, e.getMessage());
            }
        });
        groups.values().forEach(this::placeOnRing);
        loadJoinRequests();
        LOG.log(INFO, "loaded {0} groups", groups.size());
    }

    /**
     * Tells the engine that a topology is (again) available. The first time, it goes back online: it
     * announces itself, offers again what nobody took before a restart, and catches up on what it missed.
     * In a framework the topology arrives just after the engine is built, hence not in the constructor.
     */
    public void topologyChanged() {
        onEngineLater(() -> {
            if (topology.get() == null) {
                return;
            }
            dissemination.topologyChanged();
            if (!online) {
                online = true;
                goOnline();
            } else {
                offerPending();
            }
        });
    }

    private void goOnline() {
        announce(true);
        offerPending();
        for (Group group : groups.values()) {
            Ring ring = dissemination.ring(group.info.id());
            if (ring != null && ring.size() > 1) {
                startSync(group, ring.after(self, 1));
            }
        }
        detector.start();
        scheduler.schedule(settings.antiEntropyInterval().toMillis(), this::antiEntropy);
    }

    /** Offers again this node's messages that nobody took yet (before a restart, or while no topology was bound). */
    private void offerPending() {
        for (Group group : groups.values()) {
            for (MessageRecord record : group.graph.ordered()) {
                if (record.status == Delivery.Status.PENDING && record.message.author.equals(self)) {
                    offer(group, record);
                }
            }
        }
    }

    /**
     * Compares what this node holds of each group with a ring neighbour, the successor and the predecessor
     * in turn (the next live one), and fetches what it lacks; the neighbour fetches in turn what this node
     * has and it lacks. This is what makes every live member get every message, whatever the broadcast
     * lost; when nothing is missing it costs one small request and one empty answer.
     */
    private void antiEntropy() {
        antiEntropyRounds++;
        int direction = antiEntropyRounds % 2 == 0 ? 1 : -1;
        for (Group group : groups.values()) {
            Ring ring = dissemination.ring(group.info.id());
            if (ring == null || ring.size() < 2) {
                continue;
            }
            for (int step = 1; step < ring.size(); step++) {
                PeerId peer = ring.after(self, direction * step);
                if (!detector.isDown(peer)) {
                    startSync(group, peer);
                    break;
                }
            }
        }
        scheduler.schedule(settings.antiEntropyInterval().toMillis(), this::antiEntropy);
    }

    /** Tells the broadcast where the group's members now stand, and where to reach them. */
    private void placeOnRing(Group group) {
        GroupId id = group.info.id();
        boolean member = groups.get(id) == group;
        addresses.clear();
        for (Group g : groups.values()) {
            g.info.members().forEach(m -> addresses.put(m.peerId(), m.address()));
        }
        dissemination.setRing(id, member ? Ring.of(id, group.memberIds()) : null);
    }

    /** Sends a frame for the broadcast or the failure detector; failures are reported on the engine thread. */
    private void sendFrame(PeerId to, int type, byte[] body, Runnable onFailure) {
        if (type == FrameType.CHAT_ACK || type == FrameType.PART_DONE) {
            // They tell the sender that this member (and those after it) stored the message.
            afterCommit(() -> transmit(to, type, body, onFailure));
        } else {
            // Passing a message on promises nothing: it goes out while this member commits.
            transmit(to, type, body, onFailure);
        }
    }

    /** Queues a frame for its peer; the frames queued in one engine turn go out together ({@link #flushOutbox}). */
    private void transmit(PeerId to, int type, byte[] body, Runnable onFailure) {
        outbox.computeIfAbsent(to, p -> new ArrayList<>()).add(new Outgoing(type, body, onFailure));
    }

    private record Outgoing(int type, byte[] body, Runnable onFailure) {
    }

    /** Sends what the last engine turn queued: to each peer its frames, several of them as a BUNDLE. */
    private void flushOutbox() {
        int budget = transport.maxFrameSize();
        for (Map.Entry<PeerId, List<Outgoing>> queued : outbox.entrySet()) {
            PeerId to = queued.getKey();
            PeerAddress address = addresses.get(to);
            if (address == null) {
                queued.getValue().forEach(frame -> onEngineLater(frame.onFailure()));
                continue;
            }
            List<Outgoing> bundle = new ArrayList<>();
            int size = 2;
            for (Outgoing frame : queued.getValue()) {
                int length = Bundle.OVERHEAD_PER_FRAME + frame.body().length;
                if (!bundle.isEmpty() && (size + length > budget || bundle.size() == Bundle.MAX_FRAMES)) {
                    sendBundle(to, address, bundle);
                    bundle = new ArrayList<>();
                    size = 2;
                }
                bundle.add(frame);
                size += length;
            }
            sendBundle(to, address, bundle);
        }
        outbox.clear();
    }

    private void sendBundle(PeerId to, PeerAddress address, List<Outgoing> frames) {
        Outgoing first = frames.get(0);
        int type = frames.size() == 1 ? first.type() : FrameType.BUNDLE;
        byte[] body = frames.size() == 1 ? first.body()
                : Bundle.encode(frames.stream().map(f -> new Bundle.Entry(f.type(), f.body())).toList());
        transport.send(address, type, body).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.log(DEBUG, "could not send {0} to {1}: {2}", FrameType.name(type), to.shortText(), rootMessage(error));
                frames.forEach(frame -> onEngineLater(frame.onFailure()));
            }
        });
    }

    /** The engine thread's timers. */
    private final class EngineScheduler implements Scheduler {

        @Override
        public long nowMillis() {
            return clock.millis();
        }

        @Override
        public Timer schedule(long delayMillis, Runnable task) {
            try {
                ScheduledFuture<?> future = engine.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                return () -> future.cancel(false);
            } catch (RejectedExecutionException e) {
                return () -> { };
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private Group group(GroupId id) {
        Group group = groups.get(id);
        if (group == null) {
            throw new RingchatException("this node is not in group " + id);
        }
        return group;
    }

    private void sendTo(GroupInfo info, PeerId peer, int type, byte[] body) {
        info.member(peer).ifPresent(m -> transport.send(m.address(), type, body).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.log(DEBUG, "could not send {0} to {1}: {2}", FrameType.name(type), peer.shortText(),
                        rootMessage(error));
            }
        }));
    }

    private void notifyListeners(Consumer<GroupChatListener> event) {
        for (GroupChatListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.log(WARNING, "a group chat listener failed", e);
            }
        }
    }

    private Group openGroup(GroupId id) {
        return new Group(new StateLog(id, identity), store.map("ops/" + id), store.map("messages/" + id));
    }

    private static String checkGroupName(String name) {
        String trimmed = name == null ? "" : name.trim();
        if (trimmed.isEmpty()) {
            throw new RingchatException("a group needs a name");
        }
        if (trimmed.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_GROUP_NAME_BYTES) {
            throw new RingchatException("a group name has at most " + Limits.MAX_GROUP_NAME_BYTES + " bytes");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new RingchatException("a group name cannot contain control characters");
        }
        return trimmed;
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    private void onEngineLater(Runnable task) {
        onEngineLater(task, () -> LOG.log(DEBUG, "engine closed; dropped a pending task"));
    }

    private void onEngineLater(Runnable task, Runnable ifClosed) {
        try {
            engine.execute(task);
        } catch (RejectedExecutionException e) {
            ifClosed.run();
        }
    }

    /** Runs a task on the engine thread and waits for it; runs it directly when already there. */
    private <T> T onEngine(Callable<T> task) {
        try {
            if (Thread.currentThread() == engineThread) {
                return task.call();
            }
            return engine.submit(task).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new RingchatException(rootMessage(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingchatException("interrupted");
        } catch (RejectedExecutionException e) {
            throw new RingchatException("the node is shutting down");
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RingchatException(rootMessage(e), e);
        }
    }
}
