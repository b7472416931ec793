package io.github.eventsstats.archive;

import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.TypeSelection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.InstantSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The downloader alone, against the fake GH Archive. */
class HourDownloaderTest {

    @TempDir
    Path dir;

    private static final Instant HOUR = Instant.parse("2024-01-15T03:00:00Z");

    private static HourRead read() {
        return new HourRead(new EventMapper(TypeSelection.DEFAULTS, InstantSource.system()), 1 << 24);
    }

    private HourDownloader downloader(FakeGhArchive archive, long minFree, RecordedBackoff backoff) {
        return downloader(archive, minFree, backoff, Duration.ofSeconds(30));
    }

    private HourDownloader downloader(FakeGhArchive archive, long minFree, RecordedBackoff backoff, Duration timeout) {
        return new HourDownloader(archive.url(), dir, 3, timeout, minFree, backoff, new AtomicLong());
    }

    @Test
    void namesHaveTheHourWithoutALeadingZero() {
        assertEquals("2024-01-15-3.json.gz", ArchiveHours.name(HOUR));
        assertEquals("2024-01-15-23.json.gz", ArchiveHours.name(Instant.parse("2024-01-15T23:59:59Z")));
    }

    @Test
    void hoursAreDateHoursOrPeriodsBack() {
        Instant now = Instant.parse("2026-12-01T10:17:00Z");
        assertEquals(Instant.parse("2026-11-01T00:00:00Z"), ArchiveHours.parse("2026-11-01T00", now));
        assertEquals(Instant.parse("2026-11-01T05:00:00Z"), ArchiveHours.parse("2026-11-01T05:30", now));
        assertEquals(Instant.parse("2026-11-24T10:00:00Z"), ArchiveHours.parse("P7D", now));
        assertEquals(Instant.parse("2026-11-30T22:00:00Z"), ArchiveHours.parse("PT12H", now));
        assertThrows(IllegalArgumentException.class, () -> ArchiveHours.parse("2026-13-01T00", now));
        assertEquals(24, ArchiveHours.range(ArchiveHours.parse("2026-11-01T00", now),
                ArchiveHours.parse("2026-11-02T00", now)).size());
        assertThrows(IllegalArgumentException.class, () -> ArchiveHours.range(ArchiveHours.FIRST, now.plus(Duration.ofDays(10_000))));
    }

    @Test
    void noHourIsReadOrResolvedBeforeGhArchiveBegan() {
        Instant now = Instant.parse("2026-12-01T10:17:00Z");
        String first = "before GH Archive's first hour, 2011-02-12T00:00:00Z";
        assertEquals(ArchiveHours.FIRST, ArchiveHours.parse("2011-02-12T00", now));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArchiveHours.parse("2011-02-11T23"))
                .getMessage().contains(first), "a date-hour, when it is read");
        ArchiveHours.HourSpec longAgo = ArchiveHours.parse("P10000D");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> longAgo.at(now)).getMessage()
                .contains(first), "a period back, when it is resolved");
        // So far back that the hour is out of Instant's range: the same answer, not an arithmetic error.
        for (String outOfRange : List.of("P106751991167300D", "PT9223372036854775807S")) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> ArchiveHours.parse(outOfRange, now))
                    .getMessage().contains(first), outOfRange);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArchiveHours.parse("+1000000001-01-01T00:00:00Z"))
                .getMessage().contains("neither a UTC date-hour"), "past Instant's range");
    }

    @Test
    void aDownloadIsCheckedAndRenamedAndAnErrorStatusIsRetriedWithBackoff() throws Exception {
        SyncHours.Hour h = SyncHours.hour(HOUR, 200);
        RecordedBackoff backoff = new RecordedBackoff();
        try (FakeGhArchive archive = FakeGhArchive.started(); HourDownloader d = downloader(archive, 0, backoff)) {
            archive.put(h.name(), h.gz());
            archive.fail(h.name(), 503, 1);

            HourRead read = read();
            HourDownloader.Downloaded got = assertInstanceOf(HourDownloader.Downloaded.class, d.download(HOUR, read));

            assertArrayEquals(h.gz(), Files.readAllBytes(got.file()));
            assertEquals(h.kept(), read.rows().size());
            assertEquals(dir.resolve(h.name()), got.file());
            assertEquals(List.of(Duration.ofSeconds(2)), backoff.pauses);
            assertTrue(Files.notExists(dir.resolve(h.name() + ".part")));
        }
    }

    /** The lines a read published (the Kafka stream's outlet); refuses every line after the first {@code takes}. */
    private static final class RecordingPublisher implements HourRead.Publisher {
        final int takes;
        int offered;
        int taken;
        String failure;

        RecordingPublisher(int takes) {
            this.takes = takes;
        }

        @Override
        public boolean send(String repository, byte[] line) {
            offered++;
            if (failure == null && taken >= takes) {
                failure = "refused";
            }
            if (failure != null) {
                return false;
            }
            taken++;
            return true;
        }

        @Override
        public boolean finish() {
            return failure == null;
        }

        @Override
        public String failure() {
            return failure;
        }
    }

    private static HourRead publishing(List<RecordingPublisher> outlets, int takes, BrokenHours broken) {
        return new HourRead(new EventMapper(TypeSelection.DEFAULTS, InstantSource.system()), 1 << 24, () -> {
            RecordingPublisher p = new RecordingPublisher(takes);
            outlets.add(p);
            return p;
        }, HOUR, broken);
    }

    /**
     * Through the stream, the read that finds a file broken has published its readable start; the
     * download's later tries and later reads of the hour inflate it whole first and publish nothing,
     * until a whole file is served.
     */
    @Test
    void aBrokenFileIsPublishedByItsFirstReadOnlyAndCheckedWholeBeforeAnyLaterOne() throws Exception {
        SyncHours.Hour h = SyncHours.hour(HOUR, 400);
        BrokenHours broken = new BrokenHours();
        List<RecordingPublisher> outlets = new java.util.ArrayList<>();
        try (FakeGhArchive archive = FakeGhArchive.started(); HourDownloader d = downloader(archive, 0, new RecordedBackoff())) {
            archive.put(h.name(), Arrays.copyOf(h.gz(), h.gz().length / 2));

            assertInstanceOf(HourDownloader.Failed.class, d.download(HOUR, publishing(outlets, Integer.MAX_VALUE, broken)));
            assertEquals(3, archive.requests().size());
            assertEquals(1, outlets.size(), "the later tries opened no outlet: " + outlets.size());
            assertTrue(outlets.getFirst().taken > 0 && outlets.getFirst().taken < h.kept(), "the readable start: "
                    + outlets.getFirst().taken);

            assertInstanceOf(HourDownloader.Failed.class, d.download(HOUR, publishing(outlets, Integer.MAX_VALUE, broken)));
            assertEquals(1, outlets.size(), "a later sync's read published nothing");

            archive.put(h.name(), h.gz());
            assertInstanceOf(HourDownloader.Downloaded.class, d.download(HOUR, publishing(outlets, Integer.MAX_VALUE, broken)));
            assertEquals(2, outlets.size());
            assertEquals(h.kept(), outlets.getLast().taken, "the whole file published once it proved whole");
            assertTrue(!broken.contains(HOUR));
        }
    }

    @Test
    void aReadStopsAtTheFirstLineTheBrokerRefuses() throws Exception {
        SyncHours.Hour h = SyncHours.hour(HOUR, 2_000);
        List<RecordingPublisher> outlets = new java.util.ArrayList<>();
        try (FakeGhArchive archive = FakeGhArchive.started(); HourDownloader d = downloader(archive, 0, new RecordedBackoff())) {
            archive.put(h.name(), h.gz());
            HourRead read = publishing(outlets, 5, new BrokenHours());

            assertInstanceOf(HourDownloader.Downloaded.class, d.download(HOUR, read));

            assertEquals(6, outlets.getFirst().offered, "nothing offered after the refused line");
            assertTrue(assertThrows(IllegalStateException.class, read::published).getMessage().contains("refused"));
        }
    }

    @Test
    void aFileThatBreaksOffIsDownloadedAgainAndItsRowsAreNotKept() throws Exception {
        SyncHours.Hour h = SyncHours.hour(HOUR, 200);
        RecordedBackoff backoff = new RecordedBackoff();
        try (FakeGhArchive archive = FakeGhArchive.started(); HourDownloader d = downloader(archive, 0, backoff)) {
            archive.put(h.name(), Arrays.copyOf(h.gz(), h.gz().length / 2));
            HourRead read = read();

            HourDownloader.Failed failed = assertInstanceOf(HourDownloader.Failed.class, d.download(HOUR, read));

            assertTrue(failed.reason().startsWith("gzip data truncated after 3 tries"), failed.reason());
            assertEquals(64, String.valueOf(failed.sha256()).length(), "the broken file's sha256, for its record");
            assertEquals(3, archive.requests().size());
            assertThrows(IllegalStateException.class, read::rows);
            try (var files = Files.list(dir)) {
                assertEquals(0, files.count());
            }
        }
    }

    @Test
    void aFileLeftByAnEarlierRunIsReadAgainAndReplacedWhenBroken() throws Exception {
        SyncHours.Hour h = SyncHours.hour(HOUR, 200);
        try (FakeGhArchive archive = FakeGhArchive.started();
             HourDownloader d = downloader(archive, 0, new RecordedBackoff())) {
            archive.put(h.name(), h.gz());
            Files.write(dir.resolve(h.name()), Arrays.copyOf(h.gz(), 100));
            HourRead read = read();

            assertInstanceOf(HourDownloader.Downloaded.class, d.download(HOUR, read));

            assertEquals(1, archive.requests().size());
            assertEquals(h.kept(), read.rows().size());
            assertArrayEquals(h.gz(), Files.readAllBytes(dir.resolve(h.name())));
        }
    }

    @Test
    void aBodyThatStopsComingTimesOutAndTheNextTryResumesWithRange() throws Exception {
        SyncHours.Hour h = SyncHours.hour(HOUR, 200);
        RecordedBackoff backoff = new RecordedBackoff();
        try (FakeGhArchive archive = FakeGhArchive.started();
             HourDownloader d = downloader(archive, 0, backoff, Duration.ofMillis(300))) {
            archive.put(h.name(), h.gz());
            archive.stall(h.name());
            HourRead read = read();
            CompletableFuture<HourDownloader.Outcome> download = CompletableFuture.supplyAsync(() -> {
                try {
                    return d.download(HOUR, read);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // Released only once the stalled body timed out and a second request asked for the rest.
            await().atMost(1, TimeUnit.MINUTES).until(() -> archive.requests(h.name()).size() >= 2);
            archive.release(h.name());

            assertInstanceOf(HourDownloader.Downloaded.class, download.get(1, TimeUnit.MINUTES));
            assertEquals("bytes=" + h.gz().length / 2 + "-", archive.requests(h.name()).get(1).range()); // the fake stalls halfway
            assertEquals(h.kept(), read.rows().size());
            assertEquals(List.of(Duration.ofSeconds(2)), backoff.pauses);
        }
    }

    @Test
    void closingEndsADownloadThatWaitsForAnAnswer() throws Exception {
        SyncHours.Hour h = SyncHours.hour(HOUR, 200);
        try (FakeGhArchive archive = FakeGhArchive.started()) {
            archive.put(h.name(), h.gz());
            archive.hold(h.name());
            HourDownloader d = downloader(archive, 0, new RecordedBackoff(), Duration.ofHours(1));
            CompletableFuture<HourDownloader.Outcome> download = CompletableFuture.supplyAsync(() -> {
                try {
                    return d.download(HOUR, read());
                } catch (InterruptedException e) {
                    return null;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(1, TimeUnit.MINUTES).until(() -> !archive.requests(h.name()).isEmpty());

            d.close();

            assertNull(download.get(1, TimeUnit.MINUTES), "ended by the close, as an interruption");
            archive.release(h.name());
        }
    }

    @Test
    void aRedirectIsFollowed() throws Exception {
        SyncHours.Hour h = SyncHours.hour(HOUR, 200);
        try (FakeGhArchive archive = FakeGhArchive.started();
             HourDownloader d = downloader(archive, 0, new RecordedBackoff())) {
            archive.put("mirror/" + h.name(), h.gz());
            archive.redirect(h.name(), archive.url() + "/mirror/" + h.name());
            HourRead read = read();

            assertInstanceOf(HourDownloader.Downloaded.class, d.download(HOUR, read));

            assertEquals(List.of(h.name(), "mirror/" + h.name()), archive.requests().stream().map(FakeGhArchive.Request::name).toList());
            assertEquals(h.kept(), read.rows().size());
        }
    }

    @Test
    void aFullDiskIsAClearErrorAndLeavesNoFile() throws Exception {
        SyncHours.Hour h = SyncHours.hour(HOUR, 200);
        try (FakeGhArchive archive = FakeGhArchive.started();
             HourDownloader d = downloader(archive, Long.MAX_VALUE / 4, new RecordedBackoff())) {
            archive.put(h.name(), h.gz());

            HourDownloader.DiskFullException e = assertThrows(HourDownloader.DiskFullException.class, () -> d.download(HOUR, read()));

            assertTrue(e.getMessage().startsWith("not enough disk space under " + dir.toAbsolutePath() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("ARCHIVE_SYNC_MIN_FREE_DISK"), e.getMessage());
            assertTrue(e.getMessage().endsWith("nothing is lost: the hours not loaded are synced again later"));
            try (var files = Files.list(dir)) {
                assertEquals(0, files.count());
            }
        }
    }

    @Test
    void anotherClientErrorIsNotRetried() throws Exception {
        RecordedBackoff backoff = new RecordedBackoff();
        try (FakeGhArchive archive = FakeGhArchive.started(); HourDownloader d = downloader(archive, 0, backoff)) {
            archive.fail(ArchiveHours.name(HOUR), 403, 5);

            HourDownloader.Failed failed = assertInstanceOf(HourDownloader.Failed.class, d.download(HOUR, read()));

            assertTrue(failed.reason().startsWith("HTTP 403 from " + archive.url()), failed.reason());
            assertEquals(1, archive.requests().size());
            assertEquals(List.of(), backoff.pauses);
        }
    }
}
