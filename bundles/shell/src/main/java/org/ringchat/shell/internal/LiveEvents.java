package org.ringchat.shell.internal;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.ringchat.api.ChatMessage;
import org.ringchat.api.GroupChatListener;
import org.ringchat.api.GroupId;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.JoinRequest;
import org.ringchat.api.Member;
import org.ringchat.api.MessageId;
import org.ringchat.api.PeerId;
import org.ringchat.api.Presence;
import org.ringchat.shell.commands.ChatCommands;
import org.ringchat.shell.commands.Words;

/**
 * What arrives while the shell waits for a line: invitations and join requests always (as notices);
 * and, for the group in chat mode, other members' messages and members joining and leaving (as chat lines).
 */
final class LiveEvents implements GroupChatListener {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** Messages of the followed group already shown: their delivery changes come as updates too. */
    private static final int SHOWN_KEPT = 4096;

    private final PeerId self;
    private final ZoneId zone;
    private final Consumer<String> notices;
    private final Consumer<String> chatLines;
    private final Map<GroupId, Set<PeerId>> members = new HashMap<>();
    private final Map<GroupId, String> names = new HashMap<>();
    private final Set<MessageId> shown = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<MessageId, Boolean> eldest) {
            return size() > SHOWN_KEPT;
        }
    });
    private GroupId followed;

    /**
     * @param groups    the groups this node is in now: joining one of them later is no news
     * @param notices   prints invitations and join requests
     * @param chatLines prints what happens in the followed group
     */
    LiveEvents(PeerId self, Collection<GroupInfo> groups, ZoneId zone, Consumer<String> notices, Consumer<String> chatLines) {
        this.self = self;
        this.zone = zone;
        this.notices = notices;
        this.chatLines = chatLines;
        groups.forEach(g -> {
            members.put(g.id(), memberIds(g));
            names.put(g.id(), g.name());
        });
    }

    /** Chat mode in {@code group}: its new messages print, except those in {@code history}, already there. */
    synchronized void follow(GroupInfo group, Collection<ChatMessage> history) {
        followed = group.id();
        members.put(group.id(), memberIds(group));
        shown.clear();
        history.forEach(m -> shown.add(m.id()));
    }

    synchronized void unfollow() {
        followed = null;
        shown.clear();
    }

    @Override
    public synchronized void messageUpdated(ChatMessage message) {
        if (message.group().equals(followed) && !message.author().equals(self) && shown.add(message.id())) {
            chatLines.accept(TIME.format(message.sentAt().atZone(zone)) + "  " + message.author().shortText() + "  "
                    + ChatCommands.oneLine(message.text()));
        }
    }

    @Override
    public synchronized void messageWithdrawn(ChatMessage message) {
        shown.remove(message.id()); // should it show again, it prints again
        String group = names.getOrDefault(message.group(), message.group().toString());
        notices.accept("withdrew " + message.author().shortText() + "'s message of "
                + TIME.format(message.sentAt().atZone(zone)) + " in '" + group + "': its author was removed, and no "
                + "member that had not heard of it took the message");
    }

    @Override
    public synchronized void groupUpdated(GroupInfo group) {
        names.put(group.id(), group.name());
        Set<PeerId> now = memberIds(group);
        Set<PeerId> before = members.put(group.id(), now);
        if (before == null) {
            // a group this node created has one member; one it was invited into has more
            if (now.size() > 1) {
                notices.accept("joined '" + group.name() + "', now " + now.size() + " members; 'chat "
                        + Words.quotedIfNeeded(group.name()) + "' to talk there");
            }
        } else if (group.id().equals(followed)) {
            now.stream().filter(p -> !before.contains(p))
                    .forEach(p -> chatLines.accept(p.shortText() + " joined '" + group.name() + "'"));
            before.stream().filter(p -> !now.contains(p))
                    .forEach(p -> chatLines.accept(p.shortText() + " left '" + group.name() + "'"));
        }
    }

    @Override
    public void removedFrom(GroupInfo group) {
        notices.accept("this node was removed from '" + group.name() + "': it no longer sends there; 'history "
                + Words.quotedIfNeeded(group.name()) + "' still shows what it holds");
    }

    @Override
    public synchronized void presenceChanged(PeerId member, Presence presence) {
        Set<PeerId> inFollowed = followed == null ? null : members.get(followed);
        if (inFollowed != null && inFollowed.contains(member)) {
            chatLines.accept(member.shortText() + " is " + (presence == Presence.ONLINE ? "online" : "offline"));
        }
    }

    @Override
    public void joinRequested(JoinRequest request) {
        String requester = request.requester().peerId().shortText();
        String group = Words.quotedIfNeeded(request.groupName());
        notices.accept(requester + " asks to join '" + request.groupName() + "': 'accept " + group + " " + requester
                + "' or 'reject " + group + " " + requester + "'");
    }

    @Override
    public void joinDeclined(GroupId group, PeerId owner) {
        notices.accept(owner.shortText() + " declined this node's request to join group " + group);
    }

    private static Set<PeerId> memberIds(GroupInfo group) {
        return group.members().stream().map(Member::peerId).collect(Collectors.toCollection(HashSet::new));
    }
}
