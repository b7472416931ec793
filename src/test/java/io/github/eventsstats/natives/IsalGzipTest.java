package io.github.eventsstats.natives;

import io.github.eventsstats.archive.ArchiveGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The ISA-L inflater against java.util.zip: same bytes, same members, same failures. */
class IsalGzipTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTheLibrary() {
        assumeTrue(IsalGzip.loaded(), "libisal.so.2 is not installed");
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    /** Reads everything, {@code step} bytes at a time at most. */
    private static byte[] readAll(InputStream in, int step) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[step];
        try (in) {
            int n;
            while ((n = in.read(buf, 0, step)) >= 0) {
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static byte[] isal(byte[] gz, int step) throws IOException {
        return readAll(new IsalGzip(new ByteArrayInputStream(gz), IsalGzip.NATIVE), step);
    }

    private static byte[] zlib(byte[] gz, int step) throws IOException {
        return readAll(IsalGzip.open(new ByteArrayInputStream(gz), false), step);
    }

    @Test
    void aGeneratedHourInflatesToTheSameBytesAsJavaUtilZip() throws Exception {
        Path file = dir.resolve("2024-02-03-4.json.gz");
        ArchiveGenerator.write(file, 20_000, 3, Instant.parse("2024-02-03T04:00:00Z"), 1, "isal-owner");
        byte[] gz = Files.readAllBytes(file);

        byte[] expected = zlib(gz, 1 << 20);

        assertArrayEquals(expected, isal(gz, 1 << 20));
        assertArrayEquals(expected, isal(gz, 777));
    }

    @Test
    void concatenatedMembersOfAnySizeAreReadAsOneStream() throws Exception {
        // The poller's raw archive appends one member per poll; members end anywhere in a read buffer.
        Random random = new Random(42);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ByteArrayOutputStream members = new ByteArrayOutputStream();
        int[] sizes = {0, 1, 5, 300_000, 0, 17, 1 << 18, (1 << 18) - 3, 2_000_000, 9, 70_000};
        for (int size : sizes) {
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) ('a' + random.nextInt(random.nextBoolean() ? 3 : 26)); // compressible, not trivially
            }
            plain.writeBytes(data);
            members.writeBytes(gzip(data));
        }
        byte[] gz = members.toByteArray();

        assertArrayEquals(plain.toByteArray(), isal(gz, 1 << 16));
        assertArrayEquals(zlib(gz, 1 << 16), isal(gz, 1 << 16));
    }

    @Test
    void bytesAfterTheLastMemberThatAreNoMemberEndTheDataAsWithJavaUtilZip() throws Exception {
        byte[] data = "{\"id\":\"1\"}\n".repeat(1000).getBytes();
        byte[] gz = gzip(data);
        byte[] padded = Arrays.copyOf(gz, gz.length + 512); // zeros, as after a crash on some file systems

        assertArrayEquals(data, isal(padded, 4096));
        assertArrayEquals(zlib(padded, 4096), isal(padded, 4096));
    }

    @Test
    void aTruncatedStreamFailsWithEofAfterTheBytesBeforeTheCut() throws Exception {
        byte[] data = new byte[3_000_000];
        Random random = new Random(7);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + random.nextInt(7));
        }
        byte[] gz = gzip(data);
        for (int cut : new int[] {5, 10, 100, gz.length / 3, gz.length / 2, gz.length - 8, gz.length - 1}) {
            byte[] truncated = Arrays.copyOf(gz, cut);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            assertThrows(EOFException.class, () -> {
                try (InputStream in = new IsalGzip(new ByteArrayInputStream(truncated), IsalGzip.NATIVE)) {
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        got.write(buf, 0, n);
                    }
                }
            }, "cut at " + cut);
            byte[] prefix = got.toByteArray();
            assertArrayEquals(Arrays.copyOf(data, prefix.length), prefix, "cut at " + cut);
        }
    }

    @Test
    void corruptDataAndBadChecksumsFailWithZipException() throws Exception {
        byte[] data = "{\"id\":\"2\",\"type\":\"WatchEvent\"}\n".repeat(5000).getBytes();
        byte[] gz = gzip(data);
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 6] ^= 0x55;
        byte[] badHeader = gz.clone();
        badHeader[2] = 7; // compression method other than deflate
        byte[] badBlock = gz.clone();
        badBlock[10] = (byte) 0xff; // block type 3, reserved

        for (byte[] bad : new byte[][] {badCrc, badHeader, badBlock}) {
            assertThrows(ZipException.class, () -> isal(bad, 8192));
            assertThrows(ZipException.class, () -> zlib(bad, 8192));
        }
    }
}
