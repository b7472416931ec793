package io.github.eventsstats.archive;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** ISA-L's inflate must read exactly what java.util.zip reads, and fail the same way. */
class IsalGzipInputStreamTest {

    @BeforeEach
    void needsTheLibrary() {
        assumeTrue(IsalGzipInputStream.supported(), "libisal.so.2 (Debian libisal2) is not installed; .ci/run installs it");
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    /** JSON-ish lines: compressible, but with enough entropy to make real Huffman blocks. */
    private static byte[] lines(int count, long seed) {
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append("{\"id\":\"").append(random.nextLong() & Long.MAX_VALUE).append("\",\"type\":\"WatchEvent\",\"n\":")
                    .append(random.nextInt(1000)).append("}\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] readAll(InputStream in, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[chunk];
        try (in) {
            for (int n; (n = in.read(buf, 0, chunk)) >= 0; ) {
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void readsWhatGzipInputStreamReadsFromConcatenatedMembersSmallAndLarge() throws IOException {
        // 60,000 lines inflate to more than the 1 MB output buffer, so a member spans many calls.
        byte[] file = concat(gzip(lines(60_000, 1)), gzip(lines(3, 2)), gzip(new byte[0]), gzip(lines(40_000, 3)));
        byte[] expected = readAll(new GZIPInputStream(new ByteArrayInputStream(file)), 8192);
        for (int chunk : new int[] {1, 777, 1 << 16, 4 << 20}) {
            assertArrayEquals(expected, readAll(new IsalGzipInputStream(new ByteArrayInputStream(file)), chunk),
                    "reading " + chunk + " bytes at a time");
        }
    }

    @Test
    void inputArrivingAFewBytesAtATimeMakesNoDifference() throws IOException {
        byte[] file = concat(gzip(lines(5_000, 4)), gzip(lines(5_000, 5)));
        InputStream trickle = new ByteArrayInputStream(file) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3));
            }
        };
        assertArrayEquals(concat(lines(5_000, 4), lines(5_000, 5)), readAll(new IsalGzipInputStream(trickle), 4096));
    }

    @Test
    void bytesAfterTheLastMemberThatAreNotGzipAreIgnoredAsGzipInputStreamDoes() throws IOException {
        byte[] file = concat(gzip(lines(10, 6)), "trailing".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(lines(10, 6), readAll(new IsalGzipInputStream(new ByteArrayInputStream(file)), 4096));
    }

    @Test
    void aTruncatedMemberIsAnEofExceptionAndACorruptOneAZipException() throws IOException {
        byte[] whole = gzip(lines(20_000, 7));
        for (int cut : new int[] {whole.length / 2, whole.length - 4, 10}) {
            byte[] truncated = Arrays.copyOf(whole, cut);
            assertThrows(EOFException.class, () -> readAll(new IsalGzipInputStream(new ByteArrayInputStream(truncated)), 8192),
                    "cut at " + cut);
        }
        byte[] corrupt = whole.clone();
        for (int i = 20; i < 60; i++) {
            corrupt[i] = (byte) 0xff;
        }
        assertThrows(ZipException.class, () -> readAll(new IsalGzipInputStream(new ByteArrayInputStream(corrupt)), 8192));
        byte[] badCrc = whole.clone();
        badCrc[badCrc.length - 6] ^= 1;
        assertThrows(ZipException.class, () -> readAll(new IsalGzipInputStream(new ByteArrayInputStream(badCrc)), 8192));
    }

}
