package io.github.eventsstats.clickhouse;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class RowBinaryTest {

    @Test
    void encodesLittleEndianNumbersAndLengthPrefixedStrings() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        RowBinary out = new RowBinary(sink);
        out.uint8(0xAB);
        out.uint32(0x01020304L);
        out.uint64(0x0102030405060708L);
        out.string("é");
        out.string("x".repeat(200));
        out.flush();

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(new byte[]{(byte) 0xAB, 4, 3, 2, 1, 8, 7, 6, 5, 4, 3, 2, 1, 2, (byte) 0xC3, (byte) 0xA9});
        expected.writeBytes(new byte[]{(byte) 0xC8, 0x01}); // 200 in LEB128
        expected.writeBytes("x".repeat(200).getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(expected.toByteArray(), sink.toByteArray());
    }

    @Test
    void stringsAndRowsLongerThanTheBufferArriveWhole() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        RowBinary out = new RowBinary(sink);
        String big = "y".repeat(100_000);
        for (int i = 0; i < 20_000; i++) {
            out.uint64(i);
        }
        out.string(big);
        out.uint8(7);
        out.flush();

        byte[] b = sink.toByteArray();
        assertArrayEquals(new byte[]{0x40, 0x1F, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(b, 8 * 8_000, 8 * 8_000 + 8)); // 8000
        int at = 8 * 20_000;
        assertArrayEquals(new byte[]{(byte) 0xA0, (byte) 0x8D, 0x06}, Arrays.copyOfRange(b, at, at + 3)); // 100000
        assertArrayEquals(big.getBytes(StandardCharsets.US_ASCII), Arrays.copyOfRange(b, at + 3, at + 3 + big.length()));
        assertArrayEquals(new byte[]{7}, Arrays.copyOfRange(b, b.length - 1, b.length));
    }
}
