package org.ringchat.shell.commands;

import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.GroupChat;
import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.Member;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.Reachability;
import org.ringchat.api.RingchatException;

/**
 * The shell's commands as plain Java: each returns the lines to print, or throws a
 * {@link RingchatException} whose message is the one line to show.
 */
public final class ChatCommands {

    /**
     * How long a command waits for a peer's answer: longer than the engine's invitation timeout, so that
     * its clearer message wins.
     */
    public static final Duration WAIT = Duration.ofSeconds(15);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final GroupChat chat;
    private final Duration wait;
    private final ZoneId zone;

    public ChatCommands(GroupChat chat, Duration wait, ZoneId zone) {
        this.chat = chat;
        this.wait = wait;
        this.zone = zone;
    }

    /** The address on a line of its own, for scripts; then, once a member has dialled back, whether others can. */
    public List<String> id() {
        String address = chat.localAddress().toString();
        Reachability reachability = chat.reachability();
        return switch (reachability.status()) {
            case UNKNOWN -> List.of(address);
            case DIALABLE -> List.of(address, "others can dial this node (" + reachability.detail() + ")");
            case NOT_DIALABLE -> List.of(address, "others cannot dial this node (" + reachability.detail() + "); "
                    + (reachability.relays().isEmpty() ? "no relay has taken it yet"
                    : "they reach it through " + String.join(", ", reachability.relays().stream().map(PeerId::shortText).toList())));
        };
    }

    /**
     * Creates a group, then invites the peers given one after the other. The first line is the group ID;
     * an invitation that fails is a line too, and does not undo the group or the other invitations.
     */
    public List<String> create(String name, List<String> invitees) {
        List<PeerAddress> addresses = invitees.stream().map(ChatCommands::parseAddress).toList();
        GroupInfo group = chat.createGroup(name);
        List<String> lines = new ArrayList<>();
        lines.add(group.id().toString());
        for (PeerAddress invitee : addresses) {
            try {
                GroupInfo joined = await(chat.invite(group.id(), invitee), "the invitation");
                lines.add(invitee.peerId().shortText() + " joined '" + joined.name() + "', now "
                        + joined.members().size() + " members");
            } catch (RingchatException e) {
                lines.add("could not invite " + invitee.peerId().shortText() + ": " + e.getMessage());
            }
        }
        return lines;
    }

    public List<String> invite(String groupRef, String address) {
        GroupInfo group = chat.findGroup(groupRef);
        PeerAddress invitee = parseAddress(address);
        GroupInfo joined;
        try {
            joined = await(chat.invite(group.id(), invitee), "the invitation");
        } catch (RingchatException e) {
            if (!e.getMessage().startsWith("cannot reach ") && !e.getMessage().contains("no answer")) {
                throw e;
            }
            // A peer behind a NAT cannot be invited: say what it does instead (docs/DEPLOY.md, "Behind a NAT").
            throw new RingchatException(e.getMessage() + "; if nobody can dial it (a NAT, a firewall), it asks to join "
                    + "instead: join " + chat.localAddress() + " " + group.id(), e);
        }
        return List.of(invitee.peerId().shortText() + " joined '" + joined.name() + "', now "
                + joined.members().size() + " members");
    }

    public List<String> join(String memberAddress, String groupId) {
        PeerAddress member = parseAddress(memberAddress);
        GroupId group;
        try {
            group = GroupId.parse(groupId);
        } catch (IllegalArgumentException e) {
            throw new RingchatException("name the group by its whole ID (64 hex digits), as a member sees it in 'groups'");
        }
        await(chat.requestJoin(member, group), "the join request");
        return List.of("asked " + member.peerId().shortText() + " to let this node into group " + group
                + "; an owner will decide");
    }

    public List<String> requests() {
        return chat.joinRequests().stream()
                .map(r -> TIME.format(r.receivedAt().atZone(zone)) + "  " + r.groupName() + "  " + r.requester()
                        + (r.via().equals(r.requester().peerId()) ? "" : "  via " + r.via().shortText()))
                .toList();
    }

    public List<String> accept(String groupRef, String requesterRef) {
        GroupInfo group = chat.findGroup(groupRef);
        PeerId requester = findRequester(group, requesterRef);
        GroupInfo joined = await(chat.acceptJoin(group.id(), requester), "the invitation");
        return List.of(requester.shortText() + " joined '" + joined.name() + "', now " + joined.members().size()
                + " members");
    }

    public List<String> reject(String groupRef, String requesterRef) {
        GroupInfo group = chat.findGroup(groupRef);
        PeerId requester = findRequester(group, requesterRef);
        chat.rejectJoin(group.id(), requester);
        return List.of("declined the request of " + requester.shortText() + " to join '" + group.name() + "'");
    }

    private PeerId findRequester(GroupInfo group, String ref) {
        String prefix = ref.trim().toLowerCase();
        List<PeerId> matches = chat.joinRequests().stream()
                .filter(r -> r.group().equals(group.id()))
                .map(r -> r.requester().peerId())
                .filter(p -> !prefix.isEmpty() && (p.toString().startsWith(prefix) || prefix.startsWith(p + "@")))
                .toList();
        if (matches.size() != 1) {
            throw new RingchatException(matches.isEmpty()
                    ? "no request to join '" + group.name() + "' from '" + ref + "'; see 'requests'"
                    : "'" + ref + "' matches " + matches.size() + " requests; give more of the ID");
        }
        return matches.get(0);
    }

    public List<String> leave(String groupRef) {
        GroupInfo group = chat.findGroup(groupRef);
        chat.leave(group.id());
        return List.of("left '" + group.name() + "'");
    }

    public List<String> kick(String groupRef, String memberRef) {
        GroupInfo group = chat.findGroup(groupRef);
        PeerId member = findMember(group, memberRef);
        GroupInfo changed = chat.remove(group.id(), member);
        return List.of("removed " + member.shortText() + " from '" + changed.name() + "', now "
                + changed.members().size() + " members");
    }

    public List<String> owner(String groupRef, String memberRef, boolean owner) {
        GroupInfo group = chat.findGroup(groupRef);
        PeerId member = findMember(group, memberRef);
        chat.setOwner(group.id(), member, owner);
        return List.of(member.shortText() + (owner ? " is now an owner of '" : " is no longer an owner of '")
                + group.name() + "'");
    }

    public List<String> rename(String groupRef, String name) {
        GroupInfo group = chat.findGroup(groupRef);
        return List.of("renamed '" + group.name() + "' to '" + chat.rename(group.id(), name).name() + "'");
    }

    /** A member named by the start of its peer ID, or by its whole address. */
    private static PeerId findMember(GroupInfo group, String ref) {
        String prefix = ref.trim().toLowerCase();
        int at = prefix.indexOf('@');
        String id = at >= 0 ? prefix.substring(0, at) : prefix;
        List<PeerId> matches = group.members().stream().map(m -> m.peerId())
                .filter(p -> !id.isEmpty() && p.toString().startsWith(id)).toList();
        if (matches.size() != 1) {
            throw new RingchatException(matches.isEmpty()
                    ? "no member of '" + group.name() + "' has an ID starting with '" + ref + "'; see 'members'"
                    : "'" + ref + "' matches " + matches.size() + " members; give more of the ID");
        }
        return matches.get(0);
    }

    public List<String> topology() {
        return List.of(chat.topology().orElse("none: no topology bundle is active, messages wait until one is"));
    }

    public List<String> groups() {
        if (chat.groups().isEmpty()) {
            return List.of("no groups yet; 'create <name>' makes one");
        }
        return chat.groups().stream()
                .map(g -> g.id() + "  " + g.name() + "  " + g.members().size() + (g.members().size() == 1 ? " member" : " members"))
                .toList();
    }

    public List<String> members(String groupRef) {
        GroupInfo group = chat.findGroup(groupRef);
        PeerId self = chat.localAddress().peerId();
        List<String> lines = new ArrayList<>();
        for (Member m : group.members()) {
            lines.add(m.address() + "  " + (m.owner() ? "owner" : "member") + "  "
                    + chat.presence(m.peerId()).name().toLowerCase() + (m.peerId().equals(self) ? "  (me)" : ""));
        }
        return lines;
    }

    public List<String> send(String groupRef, String text) {
        GroupInfo group = chat.findGroup(groupRef);
        CompletionStage<ChatMessage> sent = chat.send(group.id(), text);
        try {
            ChatMessage message = sent.toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return List.of("sent " + message.id() + " (" + message.delivery().describe() + ")");
        } catch (TimeoutException e) {
            return List.of("sent, but no member has taken it yet; it will be offered again (see 'history')");
        } catch (ExecutionException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingchatException("interrupted");
        }
    }

    public List<String> history(String groupRef) {
        GroupInfo group = chat.findGroup(groupRef);
        PeerId self = chat.localAddress().peerId();
        return chat.history(group.id()).stream().map(m -> formatMessage(m, self)).toList();
    }

    private String formatMessage(ChatMessage m, PeerId self) {
        String author = m.author().equals(self) ? "me" : m.author().shortText();
        return TIME.format(m.sentAt().atZone(zone)) + "  " + author + "  " + oneLine(m.text()) + "  ["
                + m.delivery().describe() + "]";
    }

    public static String oneLine(String text) {
        return text.codePoints()
                .map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }

    private static PeerAddress parseAddress(String address) {
        try {
            return PeerAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new RingchatException(e.getMessage());
        }
    }

    private <T> T await(CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new RingchatException(what + " got no answer within " + wait.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingchatException("interrupted");
        }
    }

    private static RingchatException failure(ExecutionException e) {
        return new RingchatException(forOneShot(e.getCause().getMessage()), e.getCause());
    }

    /**
     * The engine's "cannot reach A: cannot connect to A: last attempt failed: R: /H:P; next attempt in N ms"
     * (Netty's words inside NettyTransport's inside GroupEngine's) as one command's failure:
     * "cannot reach A: R".
     */
    public static String forOneShot(String message) {
        if (message == null) {
            return "failed without a reason";
        }
        return message.replaceFirst("^cannot reach (\\S+): cannot connect to \\S+: (last attempt failed: )?", "cannot reach $1: ")
                .replaceFirst("; next attempt in \\d+ ms$", "")
                .replaceFirst(": /\\S+$", "");
    }
}
