package org.ringchat.state.log;

import java.util.Objects;
import java.util.Optional;

import org.ringchat.api.MessageId;
import org.ringchat.api.PeerAddress;
import org.ringchat.api.PeerId;

/**
 * What a {@link StateOp} changes. The constructors check the same bounds as the decoder, so every change
 * that can be built can be encoded; they throw {@link IllegalArgumentException} otherwise.
 */
public sealed interface Change {

    /** The kinds of change and their code on the wire. */
    enum Kind {
        CREATE(1), ADD_MEMBER(2), REMOVE_MEMBER(3), GRANT_OWNER(4), REVOKE_OWNER(5), RENAME(6), LEAVE(7),
        UPDATE_ADDRESS(8);

        final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    Kind kind();

    /**
     * The genesis of a group: its name, and the address of its author, who becomes its first member and
     * owner. The nonce keeps two groups made alike apart (the group ID is derived from this op).
     */
    record Create(String name, String host, int port, long nonce) implements Change {
        public Create {
            Checks.name(name);
            Checks.address(host, port);
        }

        @Override
        public Kind kind() {
            return Kind.CREATE;
        }
    }

    /** An owner adds a peer, as an owner or not. */
    record AddMember(PeerAddress address, boolean owner) implements Change {
        public AddMember {
            Checks.address(address.host(), address.port());
        }

        @Override
        public Kind kind() {
            return Kind.ADD_MEMBER;
        }
    }

    /**
     * An owner removes a member (itself included), naming the member's latest message it holds, if any:
     * the messages the member wrote up to that one stay shown after its removal.
     */
    record RemoveMember(PeerId peer, Optional<MessageId> lastMessage) implements Change {
        public RemoveMember {
            Objects.requireNonNull(peer, "peer");
            Objects.requireNonNull(lastMessage, "lastMessage");
        }

        /** Naming no message, as ops of format 1 do. */
        public RemoveMember(PeerId peer) {
            this(peer, Optional.empty());
        }

        @Override
        public Kind kind() {
            return Kind.REMOVE_MEMBER;
        }
    }

    /** An owner makes a member an owner. */
    record GrantOwner(PeerId peer) implements Change {
        public GrantOwner {
            Objects.requireNonNull(peer, "peer");
        }

        @Override
        public Kind kind() {
            return Kind.GRANT_OWNER;
        }
    }

    /** An owner takes the owner flag from an owner (itself included). */
    record RevokeOwner(PeerId peer) implements Change {
        public RevokeOwner {
            Objects.requireNonNull(peer, "peer");
        }

        @Override
        public Kind kind() {
            return Kind.REVOKE_OWNER;
        }
    }

    /** An owner renames the group. */
    record Rename(String name) implements Change {
        public Rename {
            Checks.name(name);
        }

        @Override
        public Kind kind() {
            return Kind.RENAME;
        }
    }

    /**
     * The author leaves the group, naming its own latest message, if any: its messages up to that one stay
     * shown after it left.
     */
    record Leave(Optional<MessageId> lastMessage) implements Change {
        public Leave {
            Objects.requireNonNull(lastMessage, "lastMessage");
        }

        /** Naming no message, as ops of format 1 do. */
        public Leave() {
            this(Optional.empty());
        }

        @Override
        public Kind kind() {
            return Kind.LEAVE;
        }
    }

    /** The author announces where it can now be reached. */
    record UpdateAddress(String host, int port) implements Change {
        public UpdateAddress {
            Checks.address(host, port);
        }

        @Override
        public Kind kind() {
            return Kind.UPDATE_ADDRESS;
        }
    }
}
