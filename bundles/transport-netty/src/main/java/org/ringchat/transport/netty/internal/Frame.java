package org.ringchat.transport.netty.internal;

/**
 * One frame: {@code [u32 length][u8 version][u8 type][body]}, where length counts version, type and body.
 *
 * @param type 0..255; types below {@link org.ringchat.spi.Transport#MIN_USER_TYPE} are the transport's own
 * @param body the payload
 */
record Frame(int type, byte[] body) {

    static final int VERSION = 1;
    /** Bytes of the length field. */
    static final int LENGTH_FIELD = 4;
    /** Bytes the length counts besides the body: version and type. */
    static final int VERSION_AND_TYPE = 2;
}
