package io.github.eventsstats.archive;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.platform.FakeClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 2.2 GB line of NULs (what {@code head -c 2200M /dev/zero | gzip -1} makes, about 10 MB of gzip)
 * between good lines: the backfill, in a 256 MB heap, and the sync each skip it as one bad line,
 * store the lines around it, and end.
 */
@QuarkusTest
@TestProfile(SyncTestProfile.class)
class OverLongLineTest {

    /** Generated once per build, never committed. */
    private static final Path ZEROS = Path.of("target", "over-long-line", "zeros-2200M.gz");

    @Inject
    ArchiveSync sync;
    @Inject
    FakeClock clock;
    @Inject
    ClickHouse clickHouse;

    private Process child;

    @BeforeEach
    void setUp() {
        clock.set(Instant.parse("2026-12-01T10:17:00Z"));
    }

    private Path file;

    @AfterEach
    void cleanUp() throws IOException {
        if (child != null) {
            child.destroyForcibly();
        }
        if (file != null) {
            Files.deleteIfExists(file); // 10 MB each; the shared member of zeros stays for the next run
        }
    }

    /** One gzip member: 2200 MiB of NUL bytes and a newline. */
    private static byte[] zeros() throws IOException {
        if (!Files.exists(ZEROS)) {
            Files.createDirectories(ZEROS.getParent());
            Path part = ZEROS.resolveSibling("zeros.part");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(part), 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_SPEED);
                }
            }) {
                byte[] block = new byte[1 << 20];
                for (int i = 0; i < 2200; i++) {
                    out.write(block);
                }
                out.write('\n');
            }
            Files.move(part, ZEROS, StandardCopyOption.ATOMIC_MOVE);
        }
        return Files.readAllBytes(ZEROS);
    }

    /** An hour's file: {@code before}'s lines, the 2.2 GB line, {@code after}'s lines (three gzip members). */
    private static byte[] withHugeLine(SyncHours.Hour before, SyncHours.Hour after) throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(before.gz());
        file.write(zeros());
        file.write(after.gz());
        return file.toByteArray();
    }

    @Test
    void theBackfillOfA2200MbLineInA256MbHeapStoresTheLinesAroundItAndExits1() throws Exception {
        Instant start = SyncHours.hours(1);
        SyncHours.Hour before = SyncHours.hour(start, 300);
        SyncHours.Hour after = SyncHours.hour(start, 300);
        file = Path.of("target", "over-long-line", "backfill-" + before.firstId() + ".json.gz");
        Files.write(file, withHugeLine(before, after));
        String java = ProcessHandle.current().info().command().orElseThrow();

        child = new ProcessBuilder(List.of(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), BackfillChild.class.getName(),
                ConfigProvider.getConfig().getValue("data.dir", String.class), file.toString()))
                .redirectErrorStream(true).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });

        assertTrue(child.waitFor(5, TimeUnit.MINUTES), "the backfill still runs after 5 minutes");
        String summary = out.get(1, TimeUnit.MINUTES);
        assertEquals(Backfill.INPUT_SKIPPED, child.exitValue(), summary);
        assertTrue(summary.contains("1 bad lines"), summary);
        assertTrue(summary.contains(":" + (301) + ": a line of 2,306,867,200 bytes, longer than ARCHIVE_SYNC_MAX_LINE"
                + " (16,777,216 bytes)"), summary);
        assertArrayEquals(new long[] {before.kept(), before.kept()}, SyncHours.stored(clickHouse, before));
        assertArrayEquals(new long[] {after.kept(), after.kept()}, SyncHours.stored(clickHouse, after));
    }

    @Test
    void aSyncedHourWithA2200MbLineStoresTheLinesAroundItAndTheNextHourSyncs() throws Exception {
        Instant start = SyncHours.hours(2);
        SyncHours.Hour before = SyncHours.hour(start, 300);
        SyncHours.Hour after = SyncHours.hour(start, 300);
        SyncHours.Hour next = SyncHours.hour(start.plus(Duration.ofHours(1)), 300);
        FakeGhArchive.instance.put(before.name(), withHugeLine(before, after));
        FakeGhArchive.instance.put(next.name(), next.gz());
        SyncProgress p = new SyncProgress(start, start.plus(Duration.ofHours(2)), sync.configuredTypes());

        CompletableFuture.runAsync(() -> {
            try {
                sync.run(p);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(5, TimeUnit.MINUTES);

        assertNull(p.problem());
        assertEquals(2, p.loaded.get());
        assertEquals(1, p.badLines.get());
        assertEquals(Backfill.INPUT_SKIPPED, p.exitCode());
        assertArrayEquals(new long[] {before.kept(), before.kept()}, SyncHours.stored(clickHouse, before));
        assertArrayEquals(new long[] {after.kept(), after.kept()}, SyncHours.stored(clickHouse, after));
        assertArrayEquals(new long[] {next.kept(), next.kept()}, SyncHours.stored(clickHouse, next));
        assertTrue(!sync.isRunning());
    }
}
