package org.ringchat.group.internal;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.RingchatException;
import org.ringchat.spi.NodeIdentity;
import org.ringchat.state.log.Change;
import org.ringchat.state.log.StateLog;
import org.ringchat.state.log.StateOp;

/**
 * Adding members: an owner sends the invitee the group's whole state log with a signed op adding it
 * (INVITE); the invitee checks the log in full, joins and acknowledges (INVITE_ACK); only then does the
 * owner add the op to its own log and pass it to the members.
 */
final class Invitations {

    private static final System.Logger LOG = System.getLogger(Invitations.class.getName());

    private final NodeIdentity identity;
    private final PeerId self;
    private final Groups groups;
    private final PeerFrames frames;
    private final CatchUp catchUp;
    private final EngineLoop loop;
    private final Supplier<Duration> timeout;
    private final Map<Key, Pending> pending = new HashMap<>();

    private record Key(GroupId group, PeerId invitee) {
    }

    private record Pending(StateOp invitation, CompletableFuture<GroupInfo> result, Scheduler.Timer timeout) {
    }

    Invitations(NodeIdentity identity, Groups groups, PeerFrames frames, CatchUp catchUp, EngineLoop loop,
                Supplier<Duration> timeout) {
        this.identity = identity;
        this.self = identity.peerId();
        this.groups = groups;
        this.frames = frames;
        this.catchUp = catchUp;
        this.loop = loop;
        this.timeout = timeout;
    }

    /** Invites a peer; the result completes when it has joined, or fails with why not. */
    CompletableFuture<GroupInfo> invite(GroupId groupId, PeerAddress invitee) {
        Group group = groups.require(groupId);
        if (!group.info.isOwner(self)) {
            throw new RingchatException("only an owner can invite to '" + group.info.name() + "'");
        }
        if (invitee.peerId().equals(self)) {
            throw new RingchatException("this node is already in '" + group.info.name() + "'");
        }
        if (group.info.isMember(invitee.peerId())) {
            throw new RingchatException(invitee.peerId().shortText() + " is already a member of '" + group.info.name() + "'");
        }
        Key key = new Key(groupId, invitee.peerId());
        if (pending.containsKey(key)) {
            throw new RingchatException("an invitation to " + invitee.peerId().shortText() + " is already under way");
        }
        StateOp invitation = StateOp.sign(identity, groupId, group.log.heads(), loop.nowMillis(),
                new Change.AddMember(invitee, false));
        List<StateOp> ops = new ArrayList<>(group.log.ops());
        ops.add(invitation);
        CompletableFuture<GroupInfo> result = new CompletableFuture<>();
        Duration patience = timeout.get();
        Scheduler.Timer timer = loop.schedule(patience.toMillis(), () -> fail(key, "no answer from " + invitee
                + " within " + patience.toSeconds() + " s"));
        Pending sent = new Pending(invitation, result, timer);
        pending.put(key, sent);
        byte[] body = new OpsCodec.GroupOps(groupId, ops).encode();
        send(key, invitee, body);
        // A frame written to a connection whose other end then gives up on the TLS handshake (on a busy
        // machine, its timeout) is lost with it: halfway through the wait the invitation goes once more. An
        // invitee that got both joins once and acknowledges both.
        loop.schedule(patience.toMillis() / 2, () -> {
            if (pending.get(key) == sent) {
                send(key, invitee, body);
            }
        });
        return result;
    }

    private void send(Key key, PeerAddress invitee, byte[] invite) {
        frames.send(invitee, FrameType.INVITE, invite).whenComplete((ok, error) -> {
            if (error != null) {
                loop.execute(() -> fail(key, "cannot reach " + invitee + ": " + Errors.rootMessage(error)), () -> { });
            }
        });
    }

    private void fail(Key key, String reason) {
        Pending invitation = pending.remove(key);
        if (invitation != null) {
            invitation.timeout().cancel();
            invitation.result().completeExceptionally(new RingchatException(reason));
        }
    }

    /**
     * An invitation carries the group's whole state log; its last op is the one adding this node, signed by
     * the inviting owner. The log is checked in full before this node joins.
     */
    void onInvite(PeerId from, OpsCodec.GroupOps invite) {
        List<StateOp> ops = invite.ops();
        StateOp invitation = ops.isEmpty() ? null : ops.get(ops.size() - 1);
        if (invitation == null || !invitation.author().equals(from)
                || !(invitation.change() instanceof Change.AddMember add) || !add.address().peerId().equals(self)) {
            LOG.log(WARNING, "rejected invitation from {0}: its last change does not add this node", from);
            return;
        }
        byte[] ack = new OpRef(invite.group(), invitation.hash()).encode();
        Group known = groups.get(invite.group());
        if (known != null) {
            // Already a member: take what is new, then acknowledge.
            groups.apply(known, ops, from);
            frames.sendToMember(known.info, from, FrameType.INVITE_ACK, ack);
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
        Group group = groups.join(invite.group(), log.ops(), from);
        LOG.log(INFO, "joined group {0} ''{1}'' on invitation by {2}", state.id(), state.name(), from.shortText());
        frames.sendToMember(group.info, from, FrameType.INVITE_ACK, ack);
        // A newcomer reads the group's history too: fetch it from the member that invited it.
        catchUp.startSync(group, from);
    }

    /** The invitee joined: add the invitation to the log and tell the members. */
    void onInviteAck(PeerId from, OpRef ack) {
        Key key = new Key(ack.group(), from);
        Pending invitation = pending.get(key);
        Group group = groups.get(ack.group());
        if (invitation == null || group == null || !invitation.invitation().hash().equals(ack.op())) {
            LOG.log(DEBUG, "ignored INVITE_ACK from {0}: no such invitation pending", from);
            return;
        }
        pending.remove(key);
        invitation.timeout().cancel();
        List<PeerId> before = group.memberIds();
        groups.apply(group, List.of(invitation.invitation()), self);
        if (!group.info.isMember(from)) {
            invitation.result().completeExceptionally(new RingchatException("the invitation of " + from.shortText()
                    + " no longer holds: the group changed meanwhile"));
            return;
        }
        groups.sendOps(group, List.of(invitation.invitation()), before.stream().filter(p -> !p.equals(self)).toList());
        LOG.log(INFO, "{0} joined ''{1}'', now {2} members", from.shortText(), group.info.name(),
                group.info.members().size());
        invitation.result().complete(group.info);
    }
}
