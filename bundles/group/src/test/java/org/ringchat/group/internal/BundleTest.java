package org.ringchat.group.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.ringchat.wire.MalformedInputException;

class BundleTest {

    @Test
    void framesComeOutAsTheyWentIn() {
        List<Bundle.Entry> frames = List.of(new Bundle.Entry(FrameType.CHAT, new byte[] {1, 2, 3}),
                new Bundle.Entry(FrameType.ACKS, new byte[0]), new Bundle.Entry(FrameType.PROBE, new byte[] {9}));
        List<Bundle.Entry> decoded = Bundle.decode(Bundle.encode(frames));
        assertEquals(frames.size(), decoded.size());
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(frames.get(i).type(), decoded.get(i).type());
            assertArrayEquals(frames.get(i).body(), decoded.get(i).body());
        }
    }

    @Test
    void aBundleCarriesNeitherABundleNorFramesThatChangeTheGroup() {
        for (int type : new int[] {FrameType.BUNDLE, FrameType.STATE, FrameType.INVITE, FrameType.SYNC_BATCH, 0x7f}) {
            byte[] body = Bundle.encode(List.of(new Bundle.Entry(type, new byte[] {0})));
            MalformedInputException e = assertThrows(MalformedInputException.class, () -> Bundle.decode(body));
            assertTrue(e.getMessage().contains("cannot carry"), e.getMessage());
        }
    }

    @Test
    void lengthsAndCountsAreChecked() {
        byte[] good = Bundle.encode(List.of(new Bundle.Entry(FrameType.PROBE, new byte[] {1, 2})));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        assertThrows(MalformedInputException.class, () -> Bundle.decode(truncated));
        byte[] negativeLength = good.clone();
        negativeLength[3] = (byte) 0x80;
        assertThrows(MalformedInputException.class, () -> Bundle.decode(negativeLength));
        byte[] tooMany = {(byte) (Bundle.MAX_FRAMES + 1 >> 8), (byte) (Bundle.MAX_FRAMES + 1)};
        assertThrows(MalformedInputException.class, () -> Bundle.decode(tooMany));
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertThrows(MalformedInputException.class, () -> Bundle.decode(trailing));
    }
}
