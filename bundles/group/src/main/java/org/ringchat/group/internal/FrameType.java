package org.ringchat.group.internal;

/** Frame types of the group protocol; see docs/PROTOCOL.md. */
final class FrameType {

    static final int INVITE = 0x10;
    static final int INVITE_ACK = 0x11;
    static final int STATE = 0x12;
    static final int PRESENCE = 0x13;
    static final int JOIN_REQUEST = 0x14;
    static final int JOIN_ANSWER = 0x15;
    static final int CHAT = 0x20;
    static final int CHAT_ACK = 0x21;
    static final int CONFIRM = 0x22;
    static final int SYNC_REQUEST = 0x30;
    static final int SYNC_BATCH = 0x31;

    private FrameType() {
    }

    static String name(int type) {
        return switch (type) {
            case INVITE -> "INVITE";
            case INVITE_ACK -> "INVITE_ACK";
            case STATE -> "STATE";
            case PRESENCE -> "PRESENCE";
            case JOIN_REQUEST -> "JOIN_REQUEST";
            case JOIN_ANSWER -> "JOIN_ANSWER";
            case CHAT -> "CHAT";
            case CHAT_ACK -> "CHAT_ACK";
            case CONFIRM -> "CONFIRM";
            case SYNC_REQUEST -> "SYNC_REQUEST";
            case SYNC_BATCH -> "SYNC_BATCH";
            default -> String.format("0x%02x", type);
        };
    }
}
