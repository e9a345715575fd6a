package org.ringchat.group.internal;

/** Frame types of the group protocol; see docs/PROTOCOL.md. */
public final class FrameType {

    public static final int INVITE = 0x10;
    public static final int INVITE_ACK = 0x11;
    public static final int STATE = 0x12;
    public static final int PRESENCE = 0x13;
    public static final int JOIN_REQUEST = 0x14;
    public static final int JOIN_ANSWER = 0x15;
    /** The broadcast of earlier versions, acknowledged per message per hop: refused, see {@link #isPerMessageBroadcast}. */
    public static final int CHAT_V1 = 0x20;
    public static final int CHAT_ACK_V1 = 0x21;
    public static final int CONFIRM_V1 = 0x22;
    public static final int PART_DONE_V1 = 0x23;
    public static final int CHAT = 0x25;
    public static final int ACKS = 0x26;
    public static final int PARTS_DONE = 0x27;
    public static final int CONFIRMS = 0x28;
    public static final int CONFIRMS_QUERY = 0x29;
    public static final int CONFIRMS_ANSWER = 0x2a;
    public static final int SYNC_REQUEST = 0x30;
    public static final int SYNC_BATCH = 0x31;
    public static final int HOLDS = 0x24;
    public static final int PROBE = 0x40;
    public static final int PROBE_ACK = 0x41;
    public static final int PROBE_REQUEST = 0x42;
    public static final int BUNDLE = 0x50;
    public static final int RELAY_RECORD = 0x60;

    private FrameType() {
    }

    /** Whether a frame is of the broadcast of earlier versions, which this one does not speak. */
    public static boolean isPerMessageBroadcast(int type) {
        return type >= CHAT_V1 && type <= PART_DONE_V1;
    }

    public static String name(int type) {
        return switch (type) {
            case INVITE -> "INVITE";
            case INVITE_ACK -> "INVITE_ACK";
            case STATE -> "STATE";
            case PRESENCE -> "PRESENCE";
            case JOIN_REQUEST -> "JOIN_REQUEST";
            case JOIN_ANSWER -> "JOIN_ANSWER";
            case CHAT_V1 -> "CHAT (v1)";
            case CHAT_ACK_V1 -> "CHAT_ACK (v1)";
            case CONFIRM_V1 -> "CONFIRM (v1)";
            case PART_DONE_V1 -> "PART_DONE (v1)";
            case CHAT -> "CHAT";
            case ACKS -> "ACKS";
            case PARTS_DONE -> "PARTS_DONE";
            case CONFIRMS -> "CONFIRMS";
            case CONFIRMS_QUERY -> "CONFIRMS_QUERY";
            case CONFIRMS_ANSWER -> "CONFIRMS_ANSWER";
            case SYNC_REQUEST -> "SYNC_REQUEST";
            case SYNC_BATCH -> "SYNC_BATCH";
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
