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
 * between good lines: the backfill, in a 256 MB heap, skips it as one bad line, stores the lines
 * around it, and exits 1; the sync stores them too but fails the hour, reads it again a bounded
 * number of times, and syncs the next hour.
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
    void aSyncedHourWithA2200MbLineFailsTheHourStoresItsOtherLinesAndTheNextHourSyncs() throws Exception {
        Instant start = SyncHours.hours(2);
        SyncHours.Hour before = SyncHours.hour(start, 300);
        SyncHours.Hour after = SyncHours.hour(start, 300);
        SyncHours.Hour next = SyncHours.hour(start.plus(Duration.ofHours(1)), 300);
        FakeGhArchive.instance.put(before.name(), withHugeLine(before, after));
        FakeGhArchive.instance.put(next.name(), next.gz());

        SyncProgress p = sync(start, 2);

        assertEquals(1, p.failed.get(), p.summary().toString());
        assertEquals(before.name() + ": line 301: a line of 2,306,867,200 bytes, longer than ARCHIVE_SYNC_MAX_LINE"
                        + " (16,777,216 bytes); the events of its other lines are stored (" + (before.kept() + after.kept())
                        + " of the kept types), the hour is not marked synced (read 1 of 3: read again by the first sync"
                        + " after 2026-12-02T10:17:00Z)", p.failures.getFirst());
        assertTrue(p.problem().startsWith("1 hour(s) failed: " + before.name() + ": line 301: "), p.problem());
        assertEquals(1, p.loaded.get());
        assertEquals(1, p.badLines.get());
        assertEquals(Backfill.FAILED, p.exitCode());
        assertArrayEquals(new long[] {before.kept(), before.kept()}, SyncHours.stored(clickHouse, before));
        assertArrayEquals(new long[] {after.kept(), after.kept()}, SyncHours.stored(clickHouse, after));
        assertArrayEquals(new long[] {next.kept(), next.kept()}, SyncHours.stored(clickHouse, next));
        assertEquals(0, SyncHours.ledgerRows(clickHouse, before), "the failed hour is not marked synced");
        assertEquals(1, SyncHours.ledgerRows(clickHouse, next));
        assertTrue(!sync.isRunning());

        // The next sync within the day reads neither hour: one is synced, the other not due again yet.
        int reads = FakeGhArchive.instance.requests(before.name()).size();
        SyncProgress again = sync(start, 2);
        assertEquals(1, again.alreadyLoaded.get());
        assertEquals(1, again.unreadable.get());
        assertNull(again.problem());
        assertEquals(reads, FakeGhArchive.instance.requests(before.name()).size());
    }

    @Test
    void anHourWithAnUnreadableLineIsReadThreeTimesADayApartThenLeftAndItsEventsAreStoredOnce() throws Exception {
        Instant start = SyncHours.hours(1);
        SyncHours.Hour before = SyncHours.hour(start, 200);
        SyncHours.Hour after = SyncHours.hour(start, 200);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(before.gz());
        try (OutputStream out = new GZIPOutputStream(file)) {
            out.write(new byte[17 << 20]); // one MiB over ARCHIVE_SYNC_MAX_LINE, as cheap as the 2.2 GB line is not
            out.write('\n');
        }
        file.write(after.gz());
        FakeGhArchive.instance.put(before.name(), file.toByteArray());

        for (int read = 1; read <= ArchiveSync.UNREADABLE_READS; read++) {
            SyncProgress p = sync(start, 1);
            assertEquals(1, p.failed.get(), p.summary().toString());
            assertTrue(p.failures.getFirst().contains("read " + read + " of 3: "
                    + (read < 3 ? "read again by the first sync after" : "not read again")), p.failures.getFirst());
            assertEquals(read == 1 ? before.kept() + after.kept() : 0, p.eventsStored.get());
            assertEquals(read == 1 ? 0 : before.kept() + after.kept(), p.eventsDuplicate.get());
            assertArrayEquals(new long[] {before.kept(), before.kept()}, SyncHours.stored(clickHouse, before));
            assertArrayEquals(new long[] {after.kept(), after.kept()}, SyncHours.stored(clickHouse, after));
            assertEquals(0, SyncHours.ledgerRows(clickHouse, before));
            clock.advance(Duration.ofHours(25));
        }
        int reads = FakeGhArchive.instance.requests(before.name()).size();
        clock.advance(Duration.ofDays(30));
        SyncProgress left = sync(start, 1);
        assertEquals(1, left.unreadable.get());
        assertEquals(0, left.failed.get());
        assertEquals(reads, FakeGhArchive.instance.requests(before.name()).size(), "not read a fourth time");
    }

    /** A sync of {@code hours} hours from {@code start}, on a thread of its own, within 5 minutes. */
    private SyncProgress sync(Instant start, int hours) throws Exception {
        SyncProgress p = new SyncProgress(start, start.plus(Duration.ofHours(hours)), sync.configuredTypes());
        CompletableFuture.runAsync(() -> {
            try {
                sync.run(p);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(5, TimeUnit.MINUTES);
        return p;
    }
}
