package io.github.eventsstats.archive;

import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.event.TypeSelection;
import io.github.eventsstats.ingest.EventWriter;
import io.github.eventsstats.stream.EventStream;
import io.github.eventsstats.platform.DataConfig;
import io.github.eventsstats.poller.PollerConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Downloads GH Archive hour files and loads them through the backfill (same mapper, writer and
 * ledger, so nothing is counted twice). Two downloads run while one file loads; a file is deleted
 * once loaded, so at most {@link #WINDOW} hour files are on disk at once. Started with the
 * application, so that a bad ARCHIVE_SYNC_EVENT_TYPES stops the start as a bad POLLER_EVENT_TYPES does.
 */
@ApplicationScoped
@Startup
public class ArchiveSync {

    private static final Logger LOG = Logger.getLogger(ArchiveSync.class);
    /** The kind of job (jobs/Jobs) a sync is, scheduled or started over HTTP. */
    public static final String JOB_KIND = "archive-sync";
    /** Downloads at a time. */
    static final int DOWNLOADS = 2;
    /** Hour files on disk at a time: the one loading and the ones downloading. */
    static final int WINDOW = DOWNLOADS + 1;
    /** A 404 for an hour younger than this means "not published yet". */
    static final Duration PUBLISH_DELAY = Duration.ofHours(48);
    /** How often an hour missing at the source is asked for again. */
    static final Duration MISSING_RETRY = Duration.ofDays(1);
    /**
     * Reads of an hour whose file holds unreadable lines or is broken (its gzip data breaks off on
     * every try of the read), a day apart, before the sync leaves it:
     * GH Archive seldom replaces a file, and each read costs the whole download and inflate.
     */
    static final int UNREADABLE_READS = 3;
    /** Names asked of the ledger per query. */
    private static final int LEDGER_CHUNK = 2_000;

    private final ArchiveSyncConfig config;
    private final TypeSelection types;
    private final Path dir;
    private final Function<List<EventRow>, EventWriter.Result> writer;
    /** With Kafka: an outlet per hour read, which publishes its events (raw lines); the stream's consumer stores them. */
    private final Supplier<HourRead.Publisher> outlets;
    private final int batchSize;
    private final Ledger ledger;
    private final MissingHours missing;
    private final UnreadableHours unreadable;
    private final InstantSource clock;
    private final SyncBackoff backoff;
    private final int maxLine;
    /** The hours found broken in this process: through the stream, checked whole before they are published again. */
    private final BrokenHours brokenHours = new BrokenHours();
    /** The sync under way, if any. */
    private final AtomicReference<Run> current = new AtomicReference<>();

    @Inject
    ArchiveSync(ArchiveSyncConfig config, PollerConfig poller, DataConfig data, EventWriter writer, Ledger ledger,
                MissingHours missing, UnreadableHours unreadable, InstantSource clock, SyncBackoff backoff,
                EventStream stream) {
        this(config, types(config.eventTypes(), poller.eventTypes()), data.dir(),
                rows -> writer.write(rows, EventSource.ARCHIVE),
                stream.enabled() ? () -> HourRead.Publisher.of(stream.outlet(EventSource.ARCHIVE, clock.instant())) : null,
                Backfill.BATCH_SIZE, ledger, missing, unreadable, clock, backoff);
    }

    /** Without CDI, for a process of its own (the tests' kill -9). */
    ArchiveSync(ArchiveSyncConfig config, TypeSelection types, Path dataDir,
                Function<List<EventRow>, EventWriter.Result> writer, int batchSize, Ledger ledger, MissingHours missing,
                UnreadableHours unreadable, InstantSource clock, SyncBackoff backoff) {
        this(config, types, dataDir, writer, null, batchSize, ledger, missing, unreadable, clock, backoff);
    }

    private ArchiveSync(ArchiveSyncConfig config, TypeSelection types, Path dataDir,
                        Function<List<EventRow>, EventWriter.Result> writer, Supplier<HourRead.Publisher> outlets, int batchSize,
                        Ledger ledger, MissingHours missing, UnreadableHours unreadable, InstantSource clock,
                        SyncBackoff backoff) {
        this.config = config;
        this.types = types;
        this.dir = dataDir.resolve("archive-sync");
        this.writer = writer;
        this.outlets = outlets;
        this.batchSize = batchSize;
        this.ledger = ledger;
        this.missing = missing;
        this.unreadable = unreadable;
        this.clock = clock;
        this.backoff = backoff;
        this.maxLine = ArchiveSyncConfig.maxLineBytes(config.maxLine());
    }

    /** ARCHIVE_SYNC_EVENT_TYPES, or else POLLER_EVENT_TYPES, or else the default types. */
    static TypeSelection types(Optional<List<String>> sync, Optional<List<String>> poller) {
        return TypeSelection.configured("ARCHIVE_SYNC_EVENT_TYPES", sync, PollerConfig.storedTypes(poller));
    }

    /** ARCHIVE_SYNC_MAX_LINE in bytes: the backfill of files reads with the same cap. */
    int maxLine() {
        return maxLine;
    }

    /** Whether the hours' events go to the Kafka stream (KAFKA_BOOTSTRAP_SERVERS) rather than to ClickHouse. */
    public boolean publishes() {
        return outlets != null;
    }

    /** The types a sync stores unless it is given others. */
    public TypeSelection configuredTypes() {
        return types;
    }

    /** Another sync runs in this process. */
    public static final class BusyException extends RuntimeException {
        BusyException() {
            super("another archive sync is running", null, false, false);
        }
    }

    /** The first hour ARCHIVE_SYNC_FROM names, now. */
    public Instant configuredStart() {
        return ArchiveHours.parse(config.from(), clock.instant());
    }

    /** The start of the current hour: every hour before it may be published. */
    public Instant currentHour() {
        return clock.instant().truncatedTo(ChronoUnit.HOURS);
    }

    /** A date-hour or period back as {@link ArchiveHours#parse} reads it, now. */
    public Instant parseHour(String text) {
        return hour(ArchiveHours.parse(text));
    }

    /** The hour {@code spec} names now. */
    public Instant hour(ArchiveHours.HourSpec spec) {
        return spec.at(clock.instant());
    }

    /** Whether a sync runs that has not passed its deadline (one past it no longer counts). */
    public boolean isRunning() {
        Run run = current.get();
        return run != null && !run.overdue(clock.instant());
    }

    /**
     * One sync: its thread, its deadline, and its downloads, so that another sync finding it past
     * its deadline can end it, whatever it is stuck in.
     */
    private static final class Run {
        final Thread thread = Thread.currentThread();
        final Instant deadline;
        final SyncProgress progress;
        volatile HourDownloader downloader;
        volatile String ended;

        Run(Instant deadline, SyncProgress progress) {
            this.deadline = deadline;
            this.progress = progress;
        }

        boolean overdue(Instant now) {
            return !now.isBefore(deadline);
        }

        /** Ends it from another thread: its downloads are cut and its thread interrupted. */
        void end(String why) {
            ended = why;
            HourDownloader d = downloader;
            if (d != null) {
                d.close();
            }
            thread.interrupt();
        }
    }

    /** The sync passed its deadline, or a later sync ended it. */
    static final class DeadlineException extends RuntimeException {
        DeadlineException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Syncs the hours from {@code progress.from} up to, not including, {@code progress.to}, and
     * returns when each is loaded, found missing, or given up for this run, or at the sync's
     * deadline (ARCHIVE_SYNC_DEADLINE), failed.
     *
     * @throws BusyException when another sync runs in this process and is not past its deadline
     */
    public void run(SyncProgress progress) throws InterruptedException {
        Run run = new Run(clock.instant().plus(config.deadline()), progress);
        claim(run);
        try {
            sync(progress, run);
        } catch (HourDownloader.DiskFullException e) {
            LOG.errorf("archive sync: %s", e.getMessage());
            progress.error.set(e.getMessage());
        } catch (DeadlineException e) {
            LOG.errorf("archive sync stopped: %s", e.getMessage());
            progress.error.set(e.getMessage());
        } catch (InterruptedException e) {
            if (run.ended == null) {
                throw e;
            }
            LOG.errorf("archive sync stopped: %s", run.ended);
            progress.error.set(run.ended);
        } catch (RuntimeException e) {
            LOG.errorf("archive sync stopped: %s", e.getMessage());
            progress.error.set("not stored: " + e.getMessage());
        } finally {
            progress.finish();
            current.compareAndSet(run, null);
        }
    }

    /** Makes {@code run} the sync under way, ending one past its deadline; else another runs. */
    private void claim(Run run) {
        while (true) {
            Run other = current.get();
            if (other == null) {
                if (current.compareAndSet(null, run)) {
                    return;
                }
            } else if (!other.overdue(clock.instant())) {
                throw new BusyException();
            } else if (current.compareAndSet(other, run)) {
                String why = pastDeadline(other) + "; a later sync ended it";
                other.progress.error.compareAndSet(null, why);
                other.end(why);
                LOG.warnf("archive sync: the sync started at %s was still running: %s", other.deadline
                        .minus(config.deadline()), why);
                return;
            }
        }
    }

    private String pastDeadline(Run run) {
        return "stopped at its deadline (ARCHIVE_SYNC_DEADLINE " + config.deadline() + ", at " + run.deadline
                + "); the hours not loaded are synced later";
    }

    private void sync(SyncProgress p, Run run) throws InterruptedException, HourDownloader.DiskFullException {
        Instant now = clock.instant();
        Instant first = p.from.isBefore(ArchiveHours.FIRST) ? ArchiveHours.FIRST : p.from;
        List<Instant> all = ArchiveHours.range(first, p.to);
        p.hours.set(all.size());
        Instant published = now.truncatedTo(ChronoUnit.HOURS);
        Set<String> synced = synced(all, p.types);
        Map<Instant, Instant> knownMissing = missing.lastChecked(first, p.to);
        Map<Instant, UnreadableHours.Reads> unreadableReads = unreadable.reads(first, p.to);
        List<Instant> todo = new ArrayList<>();
        for (Instant hour : all) {
            Instant checked = knownMissing.get(hour);
            UnreadableHours.Reads reads = unreadableReads.get(hour);
            if (synced.contains(ArchiveHours.name(hour))) {
                p.alreadyLoaded.incrementAndGet();
            } else if (!hour.isBefore(published)) {
                p.notPublished.incrementAndGet(); // not over yet: nothing to ask for
            } else if (checked != null && checked.plus(MISSING_RETRY).isAfter(now)) {
                p.missing.incrementAndGet();
            } else if (reads != null && (reads.count() >= UNREADABLE_READS
                    || reads.last().plus(MISSING_RETRY).isAfter(now))) {
                p.unreadable.incrementAndGet();
            } else {
                todo.add(hour);
            }
        }
        p.toFetch.set(todo.size());
        if (todo.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        EventMapper mapper = new EventMapper(p.types, clock);
        Backfill backfill = new Backfill(mapper, writer, ledger, batchSize, maxLine);
        Deque<Future<Fetched>> window = new ArrayDeque<>();
        try (HourDownloader downloader = new HourDownloader(config.url(), dir, config.attempts(), config.timeout(),
                config.minFreeDisk().asLongValue(), backoff, p.downloadedBytes);
             ExecutorService downloads = Executors.newFixedThreadPool(DOWNLOADS,
                     Thread.ofPlatform().name("archive-sync-download-", 0).daemon().factory())) {
            run.downloader = downloader;
            int next = 0;
            try {
                for (Instant hour : todo) {
                    while (window.size() < WINDOW && next < todo.size()) {
                        Instant h = todo.get(next++);
                        window.add(downloads.submit(() -> {
                            HourRead read = new HourRead(mapper, maxLine, outlets, h, brokenHours);
                            return new Fetched(downloader.download(h, read), read);
                        }));
                    }
                    Fetched fetched = fetched(window.poll(), run);
                    settle(hour, fetched, downloader.url(hour), backfill, p, unreadableReads.get(hour));
                }
            } finally {
                downloader.close(); // before the executor's close waits for downloads blocked on a socket
                window.forEach(f -> f.cancel(true));
                downloads.shutdownNow();
            }
        }
    }

    /** A download's outcome and, when it is a whole file, that file read. */
    private record Fetched(HourDownloader.Outcome outcome, HourRead read) {
    }

    /**
     * The download's outcome, whatever its thread threw; waits until the sync's deadline at most,
     * looking at the clock every second.
     */
    private Fetched fetched(Future<Fetched> download, Run run)
            throws InterruptedException, HourDownloader.DiskFullException {
        while (true) {
            if (run.ended != null) {
                throw new DeadlineException(run.ended);
            }
            if (run.overdue(clock.instant())) {
                throw new DeadlineException(pastDeadline(run));
            }
            try {
                return download.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                // not yet: look at the deadline again
            } catch (ExecutionException e) {
                if (e.getCause() instanceof HourDownloader.DiskFullException full) {
                    throw full;
                }
                return new Fetched(new HourDownloader.Failed(String.valueOf(e.getCause())), null);
            }
        }
    }

    /** What an hour's download comes to: loaded, not published, missing, or failed for this run. */
    private void settle(Instant hour, Fetched fetched, String url, Backfill backfill, SyncProgress p,
                        UnreadableHours.Reads earlier) throws InterruptedException {
        String name = ArchiveHours.name(hour);
        switch (fetched.outcome()) {
            case HourDownloader.NotFound ignored -> {
                Instant now = clock.instant();
                if (hour.plus(PUBLISH_DELAY).isAfter(now)) {
                    p.notPublished.incrementAndGet();
                } else {
                    missing.record(hour, now);
                    p.missing.incrementAndGet();
                    LOG.infof("archive sync: %s is missing at the source (404); asked again in a day", name);
                }
            }
            case HourDownloader.Failed failed when failed.sha256() != null ->
                    unreadable(hour, failed.sha256(), failed.reason(), outlets == null ? "nothing of it is stored"
                    : "what the stream took of it is stored (its readable start, by the first read of it in this"
                    + " process)", p, earlier);
            case HourDownloader.Failed failed -> {
                LOG.warnf("archive sync: %s: %s; tried again on the next sync", name, failed.reason());
                p.fail(name + ": " + failed.reason());
            }
            case HourDownloader.Downloaded d -> load(hour, d, fetched.read(), url, backfill, p, earlier);
        }
    }

    private void load(Instant hour, HourDownloader.Downloaded d, HourRead read, String url, Backfill backfill,
                      SyncProgress p, UnreadableHours.Reads earlier) {
        FileCounts counts = read.counts();
        p.eventsRead.addAndGet(counts.read());
        try {
            if (counts.unreadable() > 0) {
                // Not synced: its readable events are stored (a later read stores none twice), and
                // the ledger does not get the hour, so a later sync reads it again, a bounded number of times.
                backfill.storeRead(read);
                unreadable(hour, read, counts, p, earlier);
            } else if (backfill.loadRead(url, d.size(), read)) {
                p.loaded.incrementAndGet();
            } else {
                // The same bytes were loaded under another name (a file given to the command): the
                // ledger learns this hour's name too, so the next sync does not download it again.
                ledger.record(url, d.size(), read.sha256(), counts, p.types);
                p.alreadyLoadedFetched.incrementAndGet();
            }
            HourDownloader.deleteQuietly(d.file());
        } finally {
            read.release();
            p.eventsStored.addAndGet(counts.stored.get());
            p.eventsDuplicate.addAndGet(counts.duplicate.get());
            p.badLines.addAndGet(counts.bad());
        }
        // A store failure (RuntimeException) leaves the checked file for the next sync and stops this one.
    }

    /** Records the read of an hour with unreadable lines, and fails the hour in the job, saying what comes next. */
    private void unreadable(Instant hour, HourRead read, FileCounts counts, SyncProgress p, UnreadableHours.Reads earlier) {
        String what = counts.firstUnreadable() + (counts.unreadable() > 1
                ? String.format(Locale.ROOT, " (and %,d more unreadable lines)", counts.unreadable() - 1) : "");
        unreadable(hour, read.sha256(), what, String.format(Locale.ROOT,
                "the events of its other lines are stored (%,d of the kept types)", counts.kept()), p, earlier);
    }

    /**
     * Records a read of an hour whose file is unreadable (lines that are not events, or a gzip
     * stream broken before its end: {@code what}), and fails the hour in the job, saying what was
     * kept of it and what comes next: after {@link #UNREADABLE_READS} reads it is left.
     */
    private void unreadable(Instant hour, String sha256, String what, String kept, SyncProgress p,
                            UnreadableHours.Reads earlier) {
        Instant now = clock.instant();
        int reads = (earlier == null ? 0 : earlier.count()) + 1;
        unreadable.record(hour, now, sha256, what);
        String next = reads < UNREADABLE_READS
                ? "read again by the first sync after " + now.plus(MISSING_RETRY).truncatedTo(ChronoUnit.MINUTES)
                : "not read again";
        String reason = String.format(Locale.ROOT, "%s; %s, the hour is not marked synced (read %d of %d: %s)",
                what, kept, reads, UNREADABLE_READS, next);
        LOG.warnf("archive sync: %s: %s", ArchiveHours.name(hour), reason);
        p.fail(ArchiveHours.name(hour) + ": " + reason);
    }

    private Set<String> synced(List<Instant> hours, TypeSelection types) {
        Set<String> found = new HashSet<>();
        for (int i = 0; i < hours.size(); i += LEDGER_CHUNK) {
            found.addAll(ledger.syncedNames(hours.subList(i, Math.min(hours.size(), i + LEDGER_CHUNK)).stream()
                    .map(ArchiveHours::name).toList(), types));
        }
        return found;
    }
}
