package org.ringchat.transport.netty.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    private static final HexFormat HEX = HexFormat.of();

    private static EmbeddedChannel channel(int maxBodySize) {
        return new EmbeddedChannel(new FrameDecoder(maxBodySize), FrameEncoder.INSTANCE);
    }

    private static ByteBuf bytes(String hex) {
        return Unpooled.wrappedBuffer(HEX.parseHex(hex));
    }

    @Test
    void encodesLengthVersionTypeAndBody() {
        EmbeddedChannel channel = channel(16);
        channel.writeOutbound(new Frame(0x10, new byte[] {1, 2, 3}));

        ByteBuf encoded = channel.readOutbound();
        assertEquals("00000005" + "01" + "10" + "010203", ByteBufUtil.hexDump(encoded));
        encoded.release();
    }

    @Test
    void decodesFramesSplitAcrossReads() {
        EmbeddedChannel channel = channel(16);
        channel.writeInbound(bytes("0000000501"));
        assertNull(channel.readInbound());
        channel.writeInbound(bytes("200a0b0c" + "0000000201ff"));

        Frame first = channel.readInbound();
        assertEquals(0x20, first.type());
        assertArrayEquals(new byte[] {10, 11, 12}, first.body());
        Frame second = channel.readInbound();
        assertEquals(0xff, second.type());
        assertEquals(0, second.body().length);
    }

    @Test
    void acceptsABodyOfExactlyTheLimit() {
        EmbeddedChannel channel = channel(3);
        channel.writeInbound(bytes("00000005" + "01" + "10" + "010203"));
        assertEquals(3, ((Frame) channel.readInbound()).body().length);
    }

    @Test
    void rejectsALengthOverTheLimitFromTheHeaderAlone() {
        EmbeddedChannel channel = channel(3);
        TooLongFrameException e = assertThrows(TooLongFrameException.class, () -> channel.writeInbound(bytes("00000006")));
        assertEquals("frame length 6 is over the limit of 5", e.getMessage());
    }

    @Test
    void rejectsUnknownVersion() {
        EmbeddedChannel channel = channel(16);
        CorruptedFrameException e = assertThrows(CorruptedFrameException.class, () -> channel.writeInbound(bytes("000000020210")));
        assertEquals("unknown frame version 2", e.getMessage());
    }

    @Test
    void rejectsLengthsTooShortForVersionAndType() {
        assertThrows(CorruptedFrameException.class, () -> channel(16).writeInbound(bytes("00000000")));
        assertThrows(CorruptedFrameException.class, () -> channel(16).writeInbound(bytes("0000000101")));
    }
}
