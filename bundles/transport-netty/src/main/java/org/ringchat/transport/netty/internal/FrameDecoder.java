package org.ringchat.transport.netty.internal;

import java.nio.ByteOrder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Reads {@link Frame}s. A length over the limit fails as soon as the length field is read, before any
 * buffer for the frame is allocated; so do a length too short for version and type, and an unknown version.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {

    private final long maxLength;

    FrameDecoder(int maxBodySize) {
        super(Frame.LENGTH_FIELD + Frame.VERSION_AND_TYPE + maxBodySize, 0, Frame.LENGTH_FIELD, 0, Frame.LENGTH_FIELD, true);
        this.maxLength = Frame.VERSION_AND_TYPE + (long) maxBodySize;
    }

    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
        long frameLength = super.getUnadjustedFrameLength(buf, offset, length, order);
        if (frameLength > maxLength) {
            throw new TooLongFrameException("frame length " + frameLength + " is over the limit of " + maxLength);
        }
        if (frameLength < Frame.VERSION_AND_TYPE) {
            throw new CorruptedFrameException("frame length " + frameLength + " leaves no room for version and type");
        }
        return frameLength;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        ByteBuf frame = (ByteBuf) super.decode(ctx, in);
        if (frame == null) {
            return null;
        }
        try {
            int version = frame.readUnsignedByte();
            if (version != Frame.VERSION) {
                throw new CorruptedFrameException("unknown frame version " + version);
            }
            int type = frame.readUnsignedByte();
            return new Frame(type, ByteBufUtil.getBytes(frame));
        } finally {
            frame.release();
        }
    }
}
