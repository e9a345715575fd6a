package org.ringchat.transport.netty.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a {@link Frame} with its length prefix into a single buffer of exactly the right size. */
@Sharable
final class FrameEncoder extends MessageToByteEncoder<Frame> {

    static final FrameEncoder INSTANCE = new FrameEncoder();

    private FrameEncoder() {
        super(Frame.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Frame frame, boolean preferDirect) {
        return ctx.alloc().ioBuffer(Frame.LENGTH_FIELD + Frame.VERSION_AND_TYPE + frame.body().length);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
        out.writeInt(Frame.VERSION_AND_TYPE + frame.body().length);
        out.writeByte(Frame.VERSION);
        out.writeByte(frame.type());
        out.writeBytes(frame.body());
    }
}
