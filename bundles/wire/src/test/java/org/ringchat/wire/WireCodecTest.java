package org.ringchat.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WireCodecTest {

    @Test
    void fieldsComeBackAsWritten() {
        byte[] body = new WireWriter().u8(0xfe).u16(0xfffe).i32(-2).i64(Long.MIN_VALUE + 1).bytes(new byte[] {7, 8})
                .string("grüß dich").toByteArray();

        WireReader r = new WireReader(body);
        assertEquals(0xfe, r.u8());
        assertEquals(0xfffe, r.u16());
        assertEquals(-2, r.i32());
        assertEquals(Long.MIN_VALUE + 1, r.i64());
        assertArrayEquals(new byte[] {7, 8}, r.bytes(2));
        assertEquals("grüß dich", r.string("greeting", 100));
        r.expectEnd();
    }

    @Test
    void anAsciiStringReadsLikeAnyOtherAndLeavesTheFieldsAfterIt() {
        byte[] body = new WireWriter().string("plain text").string("").string("é").u8(9).toByteArray();

        WireReader r = new WireReader(body);
        assertEquals("plain text", r.string("text", 100));
        assertEquals("", r.string("text", 100));
        assertEquals("é", r.string("text", 100));
        assertEquals(9, r.u8());
        r.expectEnd();
    }

    @Test
    void aByteAboveAsciiAnywhereInAStringIsCheckedAsUtf8() {
        // ASCII is checked eight bytes at a time: a lone byte of a longer sequence at every place must be found
        for (int length = 1; length <= 20; length++) {
            for (int at = 0; at < length; at++) {
                byte[] text = "abcdefghijklmnopqrst".substring(0, length).getBytes(StandardCharsets.US_ASCII);
                text[at] = (byte) 0xc3; // starts a two-byte sequence that the next byte does not continue
                byte[] body = new WireWriter().u8(1).i32(text.length).bytes(text).toByteArray();
                WireReader r = new WireReader(body);
                r.u8();
                assertThrows(MalformedInputException.class, () -> r.skipString("text", 100),
                        "a bad byte at " + at + " of " + length);
            }
        }
    }

    @Test
    void aStringPassedOverIsCheckedAndItsBytesEndWhereTheReaderIs() {
        byte[] body = new WireWriter().string("grüß").u8(9).toByteArray();
        WireReader r = new WireReader(body);
        int length = r.skipString("text", 100);
        assertEquals("grüß", new String(body, r.position() - length, length, StandardCharsets.UTF_8));
        assertEquals(9, r.u8());
    }

    @Test
    void whatWasReadIsTheArrayItselfWhenItIsAllOfItAndACopyOfAPart() {
        byte[] body = new WireWriter().i32(1).i32(2).toByteArray();

        WireReader whole = new WireReader(body);
        whole.i32();
        whole.i32();
        assertSame(body, whole.bytesSince(0));

        WireReader part = new WireReader(body);
        part.i32();
        int start = part.position();
        part.i32();
        assertArrayEquals(new WireWriter().i32(2).toByteArray(), part.bytesSince(start));
    }

    @Test
    void aPartOfAnArrayReadsAsAnArrayOfItsOwnAndEndsWhereThePartEnds() {
        byte[] around = new WireWriter().u8(0xaa).i32(7).string("in").u8(0xbb).u8(0xcc).toByteArray();
        WireReader r = new WireReader(around, 1, around.length - 3);
        assertEquals(7, r.i32());
        r.skip(4); // the string's length
        assertEquals(4 + 4, r.position(), "counted from the start of the part");
        assertArrayEquals("in".getBytes(java.nio.charset.StandardCharsets.US_ASCII), r.rest());
        r.expectEnd();
        assertThrows(MalformedInputException.class, () -> new WireReader(around, 1, 4).skip(5));
    }

    @Test
    void anExactlySizedWriterHandsItsArrayOverAndAGuessTooSmallGrows() {
        WireWriter exact = new WireWriter(10).u16(1).i64(2);
        byte[] first = exact.toByteArray();
        assertSame(first, exact.toByteArray(), "no copy when the size was exact");

        WireReader grown = new WireReader(new WireWriter(1).i64(3).i64(4).toByteArray());
        assertEquals(3, grown.i64());
        assertEquals(4, grown.i64());
        grown.expectEnd();
    }

    @Test
    void truncatedAndOversizedInputIsRefusedWithWhatIsWrong() {
        assertTrue(assertThrows(MalformedInputException.class, () -> new WireReader(new byte[3]).i32())
                .getMessage().startsWith("truncated"));
        assertThrows(MalformedInputException.class, () -> new WireReader(new byte[3]).bytes(-1));
        byte[] negativeLength = new WireWriter().i32(-5).toByteArray();
        assertThrows(MalformedInputException.class, () -> new WireReader(negativeLength).string("text", 10));
        byte[] tooLong = new WireWriter().string("eleven char").toByteArray();
        assertEquals("text: 11 bytes, at most 10", assertThrows(MalformedInputException.class,
                () -> new WireReader(tooLong).string("text", 10)).getMessage());
        byte[] manyItems = new WireWriter().u16(9).toByteArray();
        assertEquals("parents: 9 items, at most 8 allowed", assertThrows(MalformedInputException.class,
                () -> new WireReader(manyItems).count("parents", 8)).getMessage());
        byte[] notUtf8 = new WireWriter().i32(1).u8(0xff).toByteArray();
        assertThrows(MalformedInputException.class, () -> new WireReader(notUtf8).string("text", 10));
        assertThrows(MalformedInputException.class, () -> new WireReader(new byte[2]).expectEnd());
        assertThrows(IllegalArgumentException.class, () -> new WireWriter().u16(0x10000));
    }
}
