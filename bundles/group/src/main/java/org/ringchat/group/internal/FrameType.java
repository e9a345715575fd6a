package org.ringchat.group.internal;

/** Frame types of the group protocol; see docs/PROTOCOL.md. */
public final class FrameType {

    public static final int INVITE = 0x10;
    public static final int INVITE_ACK = 0x11;
    public static final int STATE = 0x12;
    public static final int PRESENCE = 0x13;
    public static final int JOIN_REQUEST = 0x14;
    public static final int JOIN_ANSWER = 0x15;
    public static final int CHAT = 0x20;
    public static final int CHAT_ACK = 0x21;
    public static final int CONFIRM = 0x22;
    public static final int SYNC_REQUEST = 0x30;
    public static final int SYNC_BATCH = 0x31;
    public static final int PART_DONE = 0x23;
    public static final int HOLDS = 0x24;
    public static final int PROBE = 0x40;
    public static final int PROBE_ACK = 0x41;
    public static final int PROBE_REQUEST = 0x42;
    public static final int BUNDLE = 0x50;
    public static final int RELAY_RECORD = 0x60;

    private FrameType() {
    }

    public static String name(int type) {
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
            case PART_DONE -> "PART_DONE";
            case HOLDS -> "HOLDS";
            case PROBE -> "PROBE";
            case PROBE_ACK -> "PROBE_ACK";
            case PROBE_REQUEST -> "PROBE_REQUEST";
            case BUNDLE -> "BUNDLE";
            case RELAY_RECORD -> "RELAY_RECORD";
            default -> String.format("0x%02x", type);
        };
    }
}
