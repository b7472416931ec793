package io.github.eventsstats.embedded;

import com.clickhouse.client.api.internal.CompressedBlockInputStream;
import com.clickhouse.client.api.internal.CompressedBlockOutputStream;
import com.clickhouse.data.ClickHouseCityHash;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's compressed transport, read and written by clickhouse-java's own codec. */
class EngineTransportTest {

    private static final LZ4Factory LZ4 = LZ4Factory.safeInstance();

    /** Text that repeats (as query answers do), random bytes, runs of one byte, and every small size. */
    private static byte[][] samples() {
        Random random = new Random(16);
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 120_000; i++) {
            rows.append("{\"repo\":\"owner").append(i % 97).append("/name\",\"n\":").append(random.nextInt(1000)).append("}\n");
        }
        byte[] noise = new byte[3 * EngineResponse.BLOCK_SIZE + 17];
        random.nextBytes(noise);
        byte[][] samples = new byte[40][];
        samples[0] = rows.toString().getBytes(StandardCharsets.UTF_8);
        samples[1] = noise;
        samples[2] = new byte[2 * EngineResponse.BLOCK_SIZE];
        for (int i = 3; i < samples.length; i++) {
            samples[i] = new byte[i - 3];
            random.nextBytes(samples[i]);
        }
        return samples;
    }

    private static byte[] written(byte[] sample, boolean gzip, boolean lz4) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EngineResponse.writeEncoded(MemorySegment.ofArray(sample), out, gzip, lz4);
        return out.toByteArray();
    }

    private static byte[] clientReads(InputStream framed) throws IOException {
        try (var in = new CompressedBlockInputStream(framed, LZ4.fastDecompressor(), 65536)) {
            return in.readAllBytes();
        }
    }

    private static byte[] clientWrites(byte[] sample) throws IOException {
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        try (var out = new CompressedBlockOutputStream.LZ4OutputStream(framed, LZ4.fastCompressor(), 65536)) {
            out.write(sample);
        }
        return framed.toByteArray();
    }

    @Test
    void whatTheEngineWritesTheClientReadsIncompressibleBlocksToo() throws IOException {
        for (byte[] sample : samples()) {
            byte[] framed = written(sample, false, true);
            assertArrayEquals(sample, clientReads(new ByteArrayInputStream(framed)), "a sample of " + sample.length + " bytes");
            if (sample.length > 100_000 && (sample[0] == 0 || sample[0] == '{')) {
                assertTrue(framed.length < sample.length / 2, "repetitive data is compressed");
            }
        }
    }

    @Test
    void gzipAloneAndAroundLz4Blocks() throws IOException {
        byte[] sample = samples()[0];
        assertArrayEquals(sample, new GZIPInputStream(new ByteArrayInputStream(written(sample, true, false))).readAllBytes());
        assertArrayEquals(sample, clientReads(new GZIPInputStream(new ByteArrayInputStream(written(sample, true, true)))));
    }

    @Test
    void whatTheClientWritesTheEngineReads() throws IOException {
        for (byte[] sample : samples()) {
            if (sample.length > 65536 && sample[0] != 0 && sample[0] != '{') {
                // client-v2 0.11.0 sizes its output for compressible data: a 64 KiB block of noise
                // fails in lz4-java, before any byte reaches a server. Requests are rows and SQL.
                continue;
            }
            assertArrayEquals(sample, EngineRequest.decompress(clientWrites(sample)), "a sample of " + sample.length + " bytes");
        }
    }

    @Test
    void aDamagedOrCutBodyIsRefusedNotMisread() throws IOException {
        byte[] framed = clientWrites(samples()[0]);
        byte[] damaged = framed.clone();
        damaged[100] ^= 1;
        IOException e = assertThrows(IOException.class, () -> EngineRequest.decompress(damaged));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertThrows(IOException.class, () -> EngineRequest.decompress(Arrays.copyOf(framed, 1000)));
        assertThrows(IOException.class, () -> EngineRequest.decompress(Arrays.copyOf(framed, 20)));
    }

    @Test
    void aBlockThatDoesNotDecodeToTheSizeItsHeaderSaysIsRefused() throws IOException {
        byte[] framed = clientWrites("one block of text, one block of text, one block of text".getBytes(StandardCharsets.UTF_8));
        ByteBuffer block = ByteBuffer.wrap(framed).order(ByteOrder.LITTLE_ENDIAN);
        block.putInt(21, block.getInt(21) + 1); // a byte more than the block holds, under a checksum that matches
        long[] checksum = ClickHouseCityHash.cityHash128(framed, 16, framed.length - 16);
        block.putLong(0, checksum[0]).putLong(8, checksum[1]);
        IOException e = assertThrows(IOException.class, () -> EngineRequest.decompress(framed));
        assertTrue(e.getMessage().contains("decoded to"), e.getMessage());
    }

    @Test
    void aHeaderIsCheckedBeforeAnythingItClaimsIsAllocated() {
        byte[] huge = new byte[25];
        ByteBuffer header = ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN);
        header.put(16, (byte) 0x82).putInt(17, Integer.MAX_VALUE).putInt(21, Integer.MAX_VALUE);
        IOException e = assertThrows(IOException.class, () -> EngineRequest.decompress(huge));
        assertTrue(e.getMessage().contains("do not fit the body"), e.getMessage());

        header.put(16, (byte) 0x82).putInt(17, 9 + 16).putInt(21, 255 * 16 + 1); // more than LZ4 can expand to
        e = assertThrows(IOException.class, () -> EngineRequest.decompress(Arrays.copyOf(huge, 16 + 9 + 16)));
        assertTrue(e.getMessage().contains("do not fit the body"), e.getMessage());

        header.put(16, (byte) 0x90).putInt(17, 9).putInt(21, 0); // ZSTD, which is not read
        e = assertThrows(IOException.class, () -> EngineRequest.decompress(huge));
        assertTrue(e.getMessage().startsWith("unsupported compression method 0x90"), e.getMessage());
    }
}
