package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.ringchat.api.ChatMessage;
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
import org.ringchat.api.Reachability;
import org.ringchat.api.RingchatException;
import org.ringchat.spi.FrameReceiver;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.spi.StateStore;
import org.ringchat.spi.Topology;
import org.ringchat.spi.Transport;
import org.ringchat.state.log.Change;
import org.ringchat.state.log.StateOp;
import org.ringchat.state.messages.MessageLog;
import org.ringchat.wire.MalformedInputException;

/**
 * The group protocol of one node: the switchboard that wires its roles — groups and their state,
 * invitations, join requests, presence, this node's own messages (outbox), messages from peers (intake),
 * the broadcast, catch-up and anti-entropy — and hands each frame and each call to the role that owns it.
 *
 * <p>Every role runs on one {@link EngineLoop}: frames from the network and calls through {@link GroupChat}
 * are handed to it, so nothing needs a lock. A message is stored and committed before it is acknowledged
 * ({@link CommitTurn}), so an acknowledged message survives a crash of this node.
 */
public final class GroupEngine implements GroupChat, FrameReceiver, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GroupEngine.class.getName());
    /** How long a clean shutdown waits for its notices to be written. */
    private static final Duration NOTICE_WAIT = Duration.ofSeconds(1);
    /**
     * Signatures remembered as verified: enough for the batches of every member in flight at once, and for
     * the messages checked ahead that wait in the loop's queue.
     */
    private static final int VERIFIED_SIGNATURES_KEPT = 4096;

    /**
     * Timing of the protocol.
     *
     * @param ackTimeouts         how long a member waits for a target's acknowledgement before handing its part on
     * @param partTimeout         how long a member waits for an acknowledged target to report its part done
     * @param inviteTimeout       how long an owner waits for an invitee to acknowledge (and a member for a
     *                            catch-up answer or a join request's)
     * @param retryInterval       how long a sender waits before offering a message nobody took again
     * @param probes              the failure detector's timing
     * @param antiEntropyInterval how often a member compares what it holds with a member it is linked to
     */
    public record Settings(AckTimeouts ackTimeouts, Duration partTimeout, Duration inviteTimeout, Duration retryInterval,
                           FailureDetector.Settings probes, Duration antiEntropyInterval) {

        /** The given timing of invitations and retries, one acknowledgement timeout on every link, defaults for the rest. */
        public Settings(Duration ackTimeout, Duration inviteTimeout, Duration retryInterval) {
            this(AckTimeouts.fixed(ackTimeout.toMillis()), ackTimeout.multipliedBy(4), inviteTimeout, retryInterval,
                    FailureDetector.Settings.defaults(), Duration.ofSeconds(5));
        }

        /** Acknowledgement timeouts of 1–3 s following the round trip; as NodeConfiguration's defaults. */
        public static Settings defaults() {
            return new Settings(new AckTimeouts(1000, 3000), Duration.ofSeconds(12), Duration.ofSeconds(10),
                    Duration.ofSeconds(5), FailureDetector.Settings.defaults(), Duration.ofSeconds(5));
        }
    }

    private final PeerId self;
    private final Transport transport;
    private final Supplier<Topology> topology;
    private final EngineLoop loop;
    private final Events events = new Events();
    private final FailureDetector detector;
    private final Dissemination dissemination;
    private final Groups groups;
    private final MessageIntake intake;
    private final Outbox outbox;
    private final CatchUp catchUp;
    private final AntiEntropy antiEntropy;
    private final ConfirmationRepair confirmationRepair;
    private final Invitations invitations;
    private final JoinRequests joinRequests;
    private final MemberPresence presence;
    private final SignaturesAhead signaturesAhead;
    private final MessageHistory history;
    private final EarlierVersions earlierVersions = new EarlierVersions();
    private final RelayRecords relayRecords;
    private final NodeIdentity identity;
    /** The timing in force; replaced while the node runs ({@link #update}). */
    private volatile Settings settings;
    /** Whether this node has announced itself and resumed its work after loading. */
    private boolean online;

    /**
     * Starts the engine on its loop and loads the stored groups and their history.
     *
     * @param store    where the node's state is kept (and the messages of earlier releases, moved from there)
     * @param messages where the messages are kept; the caller opens and closes it
     * @throws RingchatException if the stored history cannot be loaded (one line naming what and why)
     */
    public GroupEngine(NodeIdentity identity, Transport transport, Supplier<Topology> topology, StateStore store,
                       MessageLog messages, Settings settings, EngineLoop loop) {
        this.identity = identity;
        this.self = identity.peerId();
        this.transport = transport;
        this.topology = topology;
        this.loop = loop;
        this.settings = settings;
        CommitTurn turn = new CommitTurn(() -> {
            messages.commit();
            store.commit();
        }, loop);
        PeerFrames frames = new PeerFrames(transport);
        PeerDirectory directory = new PeerDirectory();
        FrameBundler bundler = new FrameBundler(transport, directory::address, loop, turn);
        this.detector = new FailureDetector(bundler, loop, settings.probes(), new SecureRandom(), directory::knows);
        BroadcastHost host = new BroadcastHost();
        this.dissemination = new Dissemination(self, bundler, loop, detector, topology, host,
                peer -> this.settings.ackTimeouts().forProbeTimeout(detector.probeTimeoutMillis(peer)),
                broadcastTiming(settings));
        Unconfirmed unconfirmed = new Unconfirmed(self, loop::nowMillis);
        this.history = new MessageHistory(messages, store, turn, events, unconfirmed);
        this.groups = new Groups(identity, store, dissemination, history, directory, frames, turn, events, loop);
        MessageVerifier verifier = new MessageVerifier(identity, VERIFIED_SIGNATURES_KEPT);
        this.signaturesAhead = new SignaturesAhead(verifier, directory::knows);
        this.intake = new MessageIntake(self, groups, verifier, history, frames);
        intake.decodeWith(signaturesAhead::decoded);
        this.outbox = new Outbox(identity, groups, history, dissemination, turn, loop, () -> this.settings.retryInterval());
        host.serve(intake, outbox);
        this.catchUp = new CatchUp(self, groups, intake, history, dissemination, frames, loop, events,
                () -> this.settings.inviteTimeout());
        this.confirmationRepair = new ConfirmationRepair(groups, unconfirmed, intake, frames, loop,
                () -> this.settings.antiEntropyInterval());
        this.antiEntropy = new AntiEntropy(self, groups, dissemination, detector, topology, catchUp, confirmationRepair,
                loop, () -> this.settings.antiEntropyInterval());
        this.invitations = new Invitations(identity, groups, frames, catchUp, loop, () -> this.settings.inviteTimeout());
        this.joinRequests = new JoinRequests(self, groups, invitations, frames, turn, events, loop, store,
                () -> this.settings.inviteTimeout());
        this.presence = new MemberPresence(self, groups, directory, dissemination, detector, topology, frames, events,
                loop);

        this.relayRecords = new RelayRecords(identity, transport, groups, directory, frames, loop);

        groups.onMissingState(catchUp::startSync);
        groups.onStateChanged(relayRecords::stateChanged);
        groups.onStateChanged(joinRequests::stateChanged);
        groups.onStateChanged(intake::releaseParked);
        groups.onStateChanged(intake::membersChanged);
        groups.onStateChanged(outbox::stateChanged);
        intake.onUnknownState(catchUp::startSync);
        intake.onMissingParents(catchUp::syncIfStillIncomplete);
        history.onBodyDamaged(catchUp::refetch);
        catchUp.onStateCaughtUp(() -> presence.announce(true));

        // Frames queue behind the loading, which may already ask peers for what this node missed.
        transport.setReceiver(this);
        transport.setRelaying(relayRecords);
        try {
            loop.call(() -> {
                groups.load();
                joinRequests.load();
                return null;
            });
        } catch (RuntimeException e) {
            transport.setReceiver(null);
            loop.close();
            throw e;
        }
        topologyChanged();
    }

    @Override
    public void close() {
        try {
            // A clean shutdown tells the neighbours, so that they pass messages on without trying this node.
            CompletableFuture<?>[] notices = loop.call(() -> presence.announce(false));
            CompletableFuture.allOf(notices).get(NOTICE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RingchatException e) {
            LOG.log(DEBUG, "not every neighbour heard that this node goes offline: {0}", Errors.rootMessage(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.setReceiver(null);
        transport.setRelaying(null);
        try {
            loop.call(() -> {
                detector.close();
                return null;
            });
        } catch (RingchatException e) {
            LOG.log(DEBUG, "the failure detector stopped with the engine: {0}", e.getMessage());
        }
        loop.close();
    }

    /** Takes new timing while the node runs: what is under way keeps its timers, what comes next takes the new ones. */
    public void update(Settings changed) {
        loop.execute(() -> {
            settings = changed;
            dissemination.setSettings(broadcastTiming(changed));
            detector.setSettings(changed.probes());
            LOG.log(INFO, "took the new protocol timing: {0}", changed);
        }, () -> { });
    }

    private static Dissemination.Settings broadcastTiming(Settings settings) {
        return new Dissemination.Settings(settings.partTimeout().toMillis());
    }

    /**
     * Tells the engine that a topology is (again) available. The first time, it goes back online: it
     * announces itself, offers again what nobody took before a restart, and catches up on what it missed.
     * In a framework the topology arrives just after the engine is built, hence not in the constructor.
     */
    public void topologyChanged() {
        loop.execute(() -> {
            if (topology.get() == null) {
                return;
            }
            dissemination.topologyChanged();
            if (online) {
                outbox.offerPending();
                return;
            }
            online = true;
            presence.announce(true);
            outbox.offerPending();
            antiEntropy.catchUpFromSuccessors();
            detector.start();
            antiEntropy.start();
            relayRecords.start();
        }, () -> { });
    }

    // ---------------------------------------------------------------- frames from peers

    /** Takes a frame on the transport's thread: a BUNDLE is opened here, once, and its messages verified ahead. */
    @Override
    public void onFrame(PeerId from, int type, byte[] body) {
        List<Bundle.Entry> frames;
        try {
            frames = Bundle.framesOf(type, body);
        } catch (MalformedInputException | IllegalArgumentException e) {
            loop.execute(() -> {
                presence.heard(from);
                LOG.log(WARNING, "rejected malformed {0} frame from {1}: {2}", FrameType.name(type), from, e.getMessage());
            }, () -> { });
            return;
        }
        List<SignaturesAhead.Frame> checked = signaturesAhead.check(from, frames);
        loop.execute(() -> handleFrames(from, type, checked),
                () -> LOG.log(DEBUG, "engine closed; dropped a {0} frame from {1}", FrameType.name(type), from));
    }

    private void handleFrames(PeerId from, int type, List<SignaturesAhead.Frame> frames) {
        String where = type == FrameType.BUNDLE ? " in a bundle" : "";
        for (SignaturesAhead.Frame frame : frames) {
            try {
                if (frame.chat() != null) {
                    signaturesAhead.handle(frame, () -> dissemination.onChat(from, frame.chat()));
                    continue;
                }
                dispatch(from, frame.type(), frame.body());
            } catch (MalformedInputException | IllegalArgumentException e) {
                LOG.log(WARNING, "rejected malformed {0} frame{1} from {2}: {3}", FrameType.name(frame.type()), where,
                        from, e.getMessage());
            }
        }
        if (type != FrameType.PRESENCE) {
            // After the frames: an invitation makes its sender a member this node knows, and just heard from.
            presence.heard(from);
        }
    }

    /** Hands each frame to the role that owns it. */
    private void dispatch(PeerId from, int type, byte[] body) {
        switch (type) {
            case FrameType.PRESENCE -> presence.onNotice(from, body);
            case FrameType.JOIN_REQUEST -> joinRequests.onRequest(from, JoinFrames.Request.decode(body));
            case FrameType.JOIN_ANSWER -> joinRequests.onAnswer(from, JoinFrames.Answer.decode(body));
            case FrameType.INVITE -> invitations.onInvite(from, OpsCodec.GroupOps.decode(body));
            case FrameType.INVITE_ACK -> invitations.onInviteAck(from, OpRef.decode(body));
            case FrameType.STATE -> groups.onState(from, OpsCodec.GroupOps.decode(body));
            case FrameType.HOLDS -> outbox.onHolds(from, Holds.decode(body));
            case FrameType.CONFIRMS_QUERY -> confirmationRepair.onQuery(from, ConfirmationFrames.Query.decode(body));
            case FrameType.CONFIRMS_ANSWER -> confirmationRepair.onAnswer(from, ConfirmationFrames.Answer.decode(body));
            case FrameType.CHAT, FrameType.ACKS, FrameType.PARTS_DONE, FrameType.CONFIRMS ->
                    dissemination.onFrame(from, type, body);
            case FrameType.CHAT_V1, FrameType.CHAT_ACK_V1, FrameType.CONFIRM_V1, FrameType.PART_DONE_V1 ->
                    earlierVersions.refuse(from, type);
            case FrameType.PROBE, FrameType.PROBE_ACK, FrameType.PROBE_REQUEST -> detector.onFrame(from, type, body);
            case FrameType.SYNC_REQUEST -> catchUp.onRequest(from, SyncRequest.decode(body));
            case FrameType.SYNC_BATCH -> catchUp.onBatch(from, SyncBatch.decode(body));
            case FrameType.RELAY_RECORD -> relayRecords.onRecord(from, RelayRecord.decode(body));
            default -> LOG.log(WARNING, "rejected frame of unknown type {0} from {1}", FrameType.name(type), from);
        }
    }

    // ---------------------------------------------------------------- GroupChat

    @Override
    public PeerAddress localAddress() {
        return transport.localAddress();
    }

    @Override
    public Reachability reachability() {
        return transport.reachability();
    }

    @Override
    public GroupInfo createGroup(String name) {
        String checked = checkGroupName(name);
        return loop.call(() -> {
            StateOp genesis = StateOp.genesis(identity, checked, transport.localAddress(), loop.nowMillis());
            Group group = groups.join(genesis.groupId(), List.of(genesis), self);
            LOG.log(INFO, "created group {0} ''{1}''", group.info.id(), group.info.name());
            return group.info;
        });
    }

    @Override
    public CompletionStage<GroupInfo> invite(GroupId groupId, PeerAddress invitee) {
        return loop.call(() -> invitations.invite(groupId, invitee));
    }

    @Override
    public CompletionStage<Void> requestJoin(PeerAddress member, GroupId groupId) {
        return loop.call(() -> joinRequests.ask(member, groupId));
    }

    @Override
    public List<JoinRequest> joinRequests() {
        return loop.call(joinRequests::waiting);
    }

    @Override
    public CompletionStage<GroupInfo> acceptJoin(GroupId groupId, PeerId requester) {
        return loop.call(() -> joinRequests.accept(groupId, requester));
    }

    @Override
    public void rejectJoin(GroupId groupId, PeerId requester) {
        loop.call(() -> {
            joinRequests.reject(groupId, requester);
            return null;
        });
    }

    @Override
    public void leave(GroupId groupId) {
        loop.call(() -> {
            Group group = groups.require(groupId);
            return groups.change(group, new Change.Leave(group.graph.latestBy(self)));
        });
    }

    @Override
    public GroupInfo remove(GroupId groupId, PeerId member) {
        return loop.call(() -> {
            Group group = groups.owned(groupId);
            requireMember(group, member);
            if (member.equals(self)) {
                throw new RingchatException("to remove this node, leave the group");
            }
            return groups.change(group, new Change.RemoveMember(member, group.graph.latestBy(member)));
        });
    }

    @Override
    public GroupInfo setOwner(GroupId groupId, PeerId member, boolean owner) {
        return loop.call(() -> {
            Group group = groups.owned(groupId);
            if (requireMember(group, member).owner() == owner) {
                throw new RingchatException(member.shortText() + (owner ? " is already" : " is not") + " an owner");
            }
            return groups.change(group, owner ? new Change.GrantOwner(member) : new Change.RevokeOwner(member));
        });
    }

    @Override
    public GroupInfo rename(GroupId groupId, String name) {
        String checked = checkGroupName(name);
        return loop.call(() -> {
            Group group = groups.owned(groupId);
            if (group.info.name().equals(checked)) {
                throw new RingchatException("the group is already called '" + checked + "'");
            }
            return groups.change(group, new Change.Rename(checked));
        });
    }

    @Override
    public List<GroupInfo> groups() {
        return loop.call(() -> groups.all().stream().map(g -> g.info)
                .sorted(Comparator.comparing(GroupInfo::name).thenComparing(GroupInfo::id))
                .toList());
    }

    @Override
    public GroupInfo findGroup(String nameOrIdPrefix) {
        String ref = nameOrIdPrefix.trim();
        if (ref.isEmpty()) {
            throw new RingchatException("name a group by its name or the start of its ID");
        }
        return match(groups(), ref)
                .or(() -> match(loop.call(() -> groups.former().stream().map(g -> g.info).toList()), ref))
                .orElseThrow(() -> new RingchatException("no group named '" + ref
                        + "' or with an ID starting with it; see 'groups'"));
    }

    /** The one group of these named so or whose ID starts so; none; or an error when several are. */
    private static Optional<GroupInfo> match(List<GroupInfo> all, String ref) {
        List<GroupInfo> byName = all.stream().filter(g -> g.name().equals(ref)).toList();
        if (byName.size() == 1) {
            return Optional.of(byName.get(0));
        }
        List<GroupInfo> byId = all.stream().filter(g -> g.id().toString().startsWith(ref.toLowerCase())).toList();
        if (byId.size() == 1) {
            return Optional.of(byId.get(0));
        }
        if (byName.size() > 1 || byId.size() > 1) {
            List<GroupInfo> matches = byName.size() > 1 ? byName : byId;
            throw new RingchatException("'" + ref + "' matches " + matches.size() + " groups ("
                    + String.join(", ", matches.stream().map(g -> g.id().toString().substring(0, 12)).toList())
                    + "); give more of the ID");
        }
        return Optional.empty();
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
        loop.execute(() -> {
            try {
                outbox.write(groupId, text, acknowledged);
            } catch (RingchatException e) {
                acknowledged.completeExceptionally(e);
            }
        }, () -> acknowledged.completeExceptionally(new RingchatException("the node is shutting down")));
        return acknowledged;
    }

    @Override
    public List<ChatMessage> history(GroupId groupId) {
        return loop.call(() -> {
            outbox.signWritten(); // what this node has just sent is part of its history
            return history.all(groups.readable(groupId));
        });
    }

    @Override
    public List<ChatMessage> latestHistory(GroupId groupId, int count) {
        return loop.call(() -> {
            outbox.signWritten();
            return history.latest(groups.readable(groupId), count);
        });
    }

    @Override
    public int historySize(GroupId groupId) {
        return loop.call(() -> {
            outbox.signWritten();
            return history.size(groups.readable(groupId));
        });
    }

    @Override
    public Presence presence(PeerId peer) {
        return loop.call(() -> presence.of(peer));
    }

    @Override
    public Optional<String> topology() {
        return Optional.ofNullable(topology.get()).map(Topology::name);
    }

    @Override
    public Optional<MessageTrace> trace(GroupId groupId, MessageId message) {
        return loop.call(() -> dissemination.trace(message).filter(t -> t.group().equals(groupId)));
    }

    @Override
    public void addListener(GroupChatListener listener) {
        events.add(listener);
    }

    @Override
    public void removeListener(GroupChatListener listener) {
        events.remove(listener);
    }

    private static Member requireMember(Group group, PeerId peer) {
        return group.info.member(peer).orElseThrow(() -> new RingchatException(peer.shortText()
                + " is not a member of '" + group.info.name() + "'"));
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
}
