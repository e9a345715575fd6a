package org.ringchat.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.SecureRandom;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class MessageIdTest {

    @Test
    void anIdMadeOfItsTwoNumbersIsTheIdOfItsBytes() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 1000; i++) {
            MessageId id = MessageId.random(random);
            MessageId again = MessageId.of(id.mostSignificantBits(), id.leastSignificantBits());
            assertEquals(id, again);
            assertEquals(id.hashCode(), again.hashCode());
            assertArrayEquals(id.toBytes(), again.toBytes());
            assertEquals(id.toString(), again.toString());
        }
    }

    @Test
    void theNumbersAreTheBytesBigEndianAndTheHashIsTheBytesHash() {
        byte[] bytes = new byte[MessageId.LENGTH];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (0xF0 + i); // negative bytes, where a sign could slip in
        }
        MessageId id = MessageId.fromBytes(bytes);
        assertEquals(0xF0F1F2F3F4F5F6F7L, id.mostSignificantBits());
        assertEquals(0xF8F9FAFBFCFDFEFFL, id.leastSignificantBits());
        assertEquals(Arrays.hashCode(bytes), id.hashCode());
        assertEquals(Arrays.hashCode(bytes), MessageId.of(0xF0F1F2F3F4F5F6F7L, 0xF8F9FAFBFCFDFEFFL).hashCode());
    }

    @Test
    void idsThatDifferInEitherNumberDiffer() {
        assertNotEquals(MessageId.of(1, 2), MessageId.of(1, 3));
        assertNotEquals(MessageId.of(1, 2), MessageId.of(0, 2));
    }
}
