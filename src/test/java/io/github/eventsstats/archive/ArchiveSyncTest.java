package io.github.eventsstats.archive;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.platform.FakeClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GH Archive sync against a fake GH Archive and the embedded engine. */
@QuarkusTest
@TestProfile(SyncTestProfile.class)
class ArchiveSyncTest {

    @Inject
    ArchiveSync sync;
    @Inject
    FakeClock clock;
    @Inject
    RecordedBackoff backoff;
    @Inject
    ClickHouse clickHouse;
    @Inject
    ArchiveSyncJob job;
    @Inject
    ArchiveSyncJob.Disabled disabled;

    private FakeGhArchive archive;

    @BeforeEach
    void setUp() {
        archive = FakeGhArchive.instance;
        archive.clearLog();
        backoff.pauses.clear();
        clock.set(Instant.parse("2026-12-01T10:17:00Z"));
    }

    /** A day of this test's own, long before the fake clock's now. */
    private static Instant day() {
        return SyncHours.hours(24);
    }

    private SyncProgress run(Instant from, Instant to) throws InterruptedException {
        SyncProgress p = new SyncProgress(from, to, sync.configuredTypes());
        sync.run(p);
        return p;
    }

    private void assertStoredOnce(SyncHours.Hour h) {
        assertArrayEquals(new long[] {h.kept(), h.kept()}, SyncHours.stored(clickHouse, h), h.name());
    }

    private long missingRows(Instant hour) {
        return clickHouse.query("SELECT count() AS c FROM archive_missing WHERE hour = {h:DateTime('UTC')}",
                Map.of("h", ClickHouse.dateTime(hour))).getFirst().getLong("c");
    }

    private List<Path> syncFiles() throws Exception {
        Path dir = Path.of("target/test-data/archive-sync");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void hoursAreLoadedOnceThroughFailuresCutsAndSlowDownloadsAndMissingOnesAreRecorded() throws Exception {
        Instant day = day();
        SyncHours.Hour[] h = new SyncHours.Hour[8];
        for (int i = 0; i < h.length; i++) {
            h[i] = SyncHours.hour(day.plus(Duration.ofHours(i)), 400);
            if (i != 1) {
                archive.put(h[i].name(), h[i].gz());
            }
        }
        archive.fail(h[2].name(), 500, 2);
        archive.cutOnce(h[3].name());
        archive.hold(h[4].name());
        // Served whole but cut inside the gzip data, every time.
        archive.put(h[6].name(), Arrays.copyOf(h[6].gz(), h[6].gz().length * 2 / 3));

        CompletableFuture<SyncProgress> running = CompletableFuture.supplyAsync(() -> {
            try {
                return run(day, day.plus(Duration.ofHours(8)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // While h4 is held the loader waits for it: the next two downloads run, the one after them does not start.
        await().atMost(1, TimeUnit.MINUTES).until(() -> !archive.requests(h[6].name()).isEmpty());
        assertTrue(archive.requests(h[7].name()).isEmpty(), "no third download while one is held");
        assertTrue(syncFiles().size() <= ArchiveSync.WINDOW, syncFiles().toString());
        archive.release(h[4].name());
        SyncProgress p = running.get(1, TimeUnit.MINUTES);

        assertEquals(8, p.hours.get());
        assertEquals(6, p.loaded.get(), p.summary().toString());
        assertEquals(1, p.missing.get());
        assertEquals(1, p.failed.get());
        assertTrue(p.failures.getFirst().startsWith(h[6].name() + ": gzip data truncated after 3 tries"), p.failures.toString());
        assertTrue(p.failures.getFirst().contains("read 1 of 3"), "a broken file counts its reads: " + p.failures);
        assertEquals(Backfill.FAILED, p.exitCode());
        for (int i : new int[] {0, 2, 3, 4, 5, 7}) {
            assertStoredOnce(h[i]);
            assertEquals(1, SyncHours.ledgerRows(clickHouse, h[i]), h[i].name());
        }
        assertEquals(0, SyncHours.stored(clickHouse, h[6])[0], "nothing of a broken file is loaded");
        assertEquals(0, SyncHours.ledgerRows(clickHouse, h[6]));
        assertEquals(1, missingRows(h[1].start()));
        assertEquals(3, archive.requests(h[2].name()).size(), "500 twice, then fine");
        List<FakeGhArchive.Request> cut = archive.requests(h[3].name());
        assertEquals(2, cut.size());
        // What reached the client before the cut (at most the half sent) is kept; the rest is asked for.
        assertNotNull(cut.get(1).range(), "the cut download resumes");
        long resumedAt = Long.parseLong(cut.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
        assertTrue(resumedAt > 0 && resumedAt <= h[3].gz().length / 2, cut.get(1).range());
        assertTrue(archive.maxInFlight() <= ArchiveSync.DOWNLOADS, "at most two downloads at a time");
        assertTrue(backoff.pauses.containsAll(List.of(Duration.ofSeconds(2), Duration.ofSeconds(4))), backoff.pauses.toString());
        assertEquals(List.of(), syncFiles(), "temporary files are deleted");

        // Again: the loaded hours are not downloaded, the missing one is not asked for within a day,
        // nor is the broken one (read again a day after its latest read, as an unreadable hour is).
        archive.clearLog();
        SyncProgress again = run(day, day.plus(Duration.ofHours(8)));
        assertEquals(6, again.alreadyLoaded.get());
        assertEquals(1, again.missing.get());
        assertEquals(1, again.unreadable.get(), again.summary().toString());
        assertEquals(List.of(), archive.requests());

        // A day later the missing hour is asked for again; now it is there.
        archive.clearLog();
        archive.put(h[1].name(), h[1].gz());
        archive.put(h[6].name(), h[6].gz());
        clock.advance(Duration.ofHours(25));
        SyncProgress later = run(day, day.plus(Duration.ofHours(8)));
        assertEquals(2, later.loaded.get(), later.summary().toString());
        assertEquals(Backfill.OK, later.exitCode());
        assertStoredOnce(h[1]);
        assertStoredOnce(h[6]);
    }

    @Test
    void aRecentHourNotThereIsNotPublishedYetAndNotRecorded() throws Exception {
        Instant hour = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(3));

        SyncProgress p = run(hour, hour.plus(Duration.ofHours(5)));

        assertEquals(5, p.hours.get());
        assertEquals(5, p.notPublished.get(), "3 answered 404, 2 not over yet");
        assertEquals(3, archive.requests().size(), "hours not over are not asked for");
        assertEquals(0, missingRows(hour));
        assertEquals(Backfill.OK, p.exitCode());
    }

    @Test
    void aSecondSyncWhileOneRunsIsRefused() throws Exception {
        Instant day = day();
        SyncHours.Hour h = SyncHours.hour(day, 50);
        archive.put(h.name(), h.gz());
        archive.hold(h.name());
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            try {
                run(day, day.plus(Duration.ofHours(1)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(1, TimeUnit.MINUTES).until(() -> !archive.requests(h.name()).isEmpty());

        ArchiveSync.BusyException busy = org.junit.jupiter.api.Assertions.assertThrows(ArchiveSync.BusyException.class,
                () -> run(day, day.plus(Duration.ofHours(1))));
        assertNotNull(busy.getMessage());
        assertTrue(sync.isRunning());
        archive.release(h.name());
        first.get(1, TimeUnit.MINUTES);
        assertFalse(sync.isRunning());
        assertStoredOnce(h);
    }

    @Test
    void aSyncPastItsDeadlineEndsFailedAndNeverKeepsTheNextFromStarting() throws Exception {
        Instant day = day();
        SyncHours.Hour stuck = SyncHours.hour(day, 50);
        SyncHours.Hour later = SyncHours.hour(day.plus(Duration.ofHours(1)), 50);
        archive.put(stuck.name(), stuck.gz());
        archive.put(later.name(), later.gz());
        archive.hold(stuck.name()); // answers nothing: the download waits, as on a dead connection
        SyncProgress first = new SyncProgress(day, day.plus(Duration.ofHours(1)), sync.configuredTypes());
        CompletableFuture<Void> firstRun = CompletableFuture.runAsync(() -> {
            try {
                sync.run(first);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(1, TimeUnit.MINUTES).until(() -> !archive.requests(stuck.name()).isEmpty());
        assertTrue(sync.isRunning());

        clock.set(clock.instant().plus(Duration.ofHours(6)).plusSeconds(1)); // ARCHIVE_SYNC_DEADLINE's default
        SyncProgress second = run(later.start(), later.start().plus(Duration.ofHours(1)));

        assertEquals(1, second.loaded.get(), second.summary().toString());
        assertStoredOnce(later);
        firstRun.get(1, TimeUnit.MINUTES);
        assertTrue(first.problem().startsWith("stopped at its deadline (ARCHIVE_SYNC_DEADLINE PT6H"), first.problem());
        assertEquals(Backfill.FAILED, first.exitCode());
        assertFalse(sync.isRunning());
        archive.release(stuck.name());
        SyncProgress again = run(day, day.plus(Duration.ofHours(1)));
        assertEquals(1, again.loaded.get(), "the hour the stuck sync left is synced later");
        assertStoredOnce(stuck);
    }

    @Test
    void theJobSyncsFromArchiveSyncFromToTheLastHourOverAndIsOffByDefault() throws Exception {
        clock.set(SyncHours.hours(48).plus(Duration.ofHours(47)).plus(Duration.ofMinutes(20)));
        Instant last = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(1));
        SyncHours.Hour h = SyncHours.hour(last.minus(Duration.ofHours(4)), 100);
        archive.put(h.name(), h.gz());

        SyncProgress p = job.runOnce();

        assertEquals(24, p.hours.get(), "ARCHIVE_SYNC_FROM=P1D");
        assertEquals(last.minus(Duration.ofHours(23)), p.from);
        assertEquals(1, p.loaded.get());
        assertEquals(23, p.notPublished.get());
        assertStoredOnce(h);
        assertTrue(disabled.test(null), "ARCHIVE_SYNC_ENABLED is false by default");
    }
}
