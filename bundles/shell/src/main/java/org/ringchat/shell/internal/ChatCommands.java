package org.ringchat.shell.internal;

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
import org.ringchat.api.Delivery;
import org.ringchat.api.GroupChat;
import org.ringchat.api.GroupInfo;
import org.ringchat.api.Member;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;
import org.ringchat.api.RingchatException;

/**
 * The shell's commands as plain Java: each returns the lines to print, or throws a
 * {@link RingchatException} whose message is the one line to show.
 */
final class ChatCommands {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final GroupChat chat;
    private final Duration wait;
    private final ZoneId zone;

    ChatCommands(GroupChat chat, Duration wait, ZoneId zone) {
        this.chat = chat;
        this.wait = wait;
        this.zone = zone;
    }

    List<String> id() {
        return List.of(chat.localAddress().toString());
    }

    List<String> create(String name) {
        return List.of(chat.createGroup(name).id().toString());
    }

    List<String> invite(String groupRef, String address) {
        GroupInfo group = chat.findGroup(groupRef);
        PeerAddress invitee = parseAddress(address);
        GroupInfo joined = await(chat.invite(group.id(), invitee), "the invitation");
        return List.of(invitee.peerId().shortText() + " joined '" + joined.name() + "', now "
                + joined.members().size() + " members");
    }

    List<String> groups() {
        return chat.groups().stream()
                .map(g -> g.id() + "  " + g.name() + "  " + g.members().size() + (g.members().size() == 1 ? " member" : " members"))
                .toList();
    }

    List<String> members(String groupRef) {
        GroupInfo group = chat.findGroup(groupRef);
        PeerId self = chat.localAddress().peerId();
        List<String> lines = new ArrayList<>();
        for (Member m : group.members()) {
            lines.add(m.address() + "  " + (m.owner() ? "owner" : "member") + "  "
                    + chat.presence(m.peerId()).name().toLowerCase() + (m.peerId().equals(self) ? "  (me)" : ""));
        }
        return lines;
    }

    List<String> send(String groupRef, List<String> words) {
        GroupInfo group = chat.findGroup(groupRef);
        String text = String.join(" ", words);
        CompletionStage<ChatMessage> sent = chat.send(group.id(), text);
        try {
            ChatMessage message = sent.toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return List.of("sent " + message.id() + " (" + message.delivery().describe() + ")");
        } catch (TimeoutException e) {
            return List.of("sent, but no member has taken it yet; it will be offered again (see 'history')");
        } catch (ExecutionException e) {
            throw new RingchatException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingchatException("interrupted");
        }
    }

    List<String> history(String groupRef) {
        GroupInfo group = chat.findGroup(groupRef);
        PeerId self = chat.localAddress().peerId();
        return chat.history(group.id()).stream().map(m -> formatMessage(m, self)).toList();
    }

    private String formatMessage(ChatMessage m, PeerId self) {
        String author = m.author().equals(self) ? "me" : m.author().shortText();
        String status = m.delivery().status() == Delivery.Status.RECEIVED ? "received" : m.delivery().describe();
        return TIME.format(m.sentAt().atZone(zone)) + "  " + author + "  " + oneLine(m.text()) + "  [" + status + "]";
    }

    private static String oneLine(String text) {
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
            throw new RingchatException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RingchatException("interrupted");
        }
    }
}
