package io.github.eventsstats.archive;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.event.TypeSelection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** How far one sync is, read while it runs (the command's progress line, {@code GET /admin/jobs/{id}}). */
public final class SyncProgress {

    /** A failure or problem list is kept to this many entries; the counts go on. */
    static final int KEPT = 20;

    final Instant from;
    final Instant to;
    /** The event types this sync stores. */
    final TypeSelection types;
    private final long startNanos = System.nanoTime();
    final AtomicInteger hours = new AtomicInteger();
    /** Hours to download (not loaded yet, not recently found missing). */
    final AtomicInteger toFetch = new AtomicInteger();
    final AtomicInteger loaded = new AtomicInteger();
    final AtomicInteger alreadyLoaded = new AtomicInteger();
    final AtomicInteger notPublished = new AtomicInteger();
    final AtomicInteger missing = new AtomicInteger();
    /** Hours not read again: their file held unreadable lines or was broken (ArchiveSync.UNREADABLE_READS). */
    final AtomicInteger unreadable = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicLong downloadedBytes = new AtomicLong();
    final AtomicLong eventsRead = new AtomicLong();
    final AtomicLong eventsStored = new AtomicLong();
    final AtomicLong eventsDuplicate = new AtomicLong();
    final AtomicLong badLines = new AtomicLong();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final AtomicReference<String> error = new AtomicReference<>();
    private volatile long endNanos;

    public SyncProgress(Instant from, Instant to, TypeSelection types) {
        this.from = from;
        this.to = to;
        this.types = types;
    }

    /** The numbers, as the admin API shows them. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Snapshot(Instant from, Instant to,
                           @Schema(description = "the event types stored: * or GitHub's names, comma-separated",
                                   examples = "WatchEvent,PullRequestEvent,IssuesEvent") String types,
                           int hours, int filesToFetch, int filesDone, int loaded, int alreadyLoaded,
                           int notPublishedYet, int missingAtSource,
                           @Schema(description = "hours not read again in this sync: an earlier read found lines in"
                                   + " their file that cannot be read as events (such a read is a failed hour; its"
                                   + " other lines are stored), or a file whose gzip data breaks off before its end"
                                   + " on every try. Read again a day later, three reads at most")
                           int unreadableAtSource, int failed,
                           long downloadedBytes, double megabytesPerSecond, long eventsRead, long eventsStored,
                           long eventsDuplicate, long badLines, Long etaSeconds, List<String> failures, String error) {
    }

    void fail(String failure) {
        failed.incrementAndGet();
        if (failures.size() < KEPT) {
            failures.add(failure);
        }
    }

    void finish() {
        endNanos = System.nanoTime();
    }

    /** Downloads that came to an end, whatever the end. */
    int fetched() {
        return loaded.get() + notPublished.get() + missing.get() + failed.get() + alreadyLoadedFetched.get();
    }

    /** Hours downloaded but found loaded already by content (under another name). */
    final AtomicInteger alreadyLoadedFetched = new AtomicInteger();

    private double seconds() {
        long end = endNanos != 0 ? endNanos : System.nanoTime();
        return Math.max(1e-3, (end - startNanos) / 1e9);
    }

    double megabytesPerSecond() {
        return downloadedBytes.get() / 1e6 / seconds();
    }

    /** Seconds left at the rate so far; null before the first file is done. */
    Long etaSeconds() {
        int done = fetched();
        if (endNanos != 0) {
            return 0L;
        }
        return done == 0 ? null : Math.round((toFetch.get() - done) * seconds() / done);
    }

    int filesDone() {
        return hours.get() - toFetch.get() + fetched();
    }

    public Snapshot snapshot() {
        return new Snapshot(from, to, types.toString(), hours.get(), toFetch.get(), filesDone(), loaded.get(),
                alreadyLoaded.get() + alreadyLoadedFetched.get(), notPublished.get(), missing.get(), unreadable.get(),
                failed.get(), downloadedBytes.get(), Math.round(megabytesPerSecond() * 10) / 10.0, eventsRead.get(),
                eventsStored.get(), eventsDuplicate.get(), badLines.get(), etaSeconds(), List.copyOf(failures),
                error.get());
    }

    String line() {
        Long eta = etaSeconds();
        return String.format(Locale.ROOT, "sync: %d/%d files (%d loaded, %d already loaded, %d not published yet,"
                        + " %d missing, %d unreadable, %d failed), %,.1f MB, %,.1f MB/s, %,d events, ETA %s",
                filesDone(), hours.get(), loaded.get(), alreadyLoaded.get() + alreadyLoadedFetched.get(),
                notPublished.get(), missing.get(), unreadable.get(), failed.get(), downloadedBytes.get() / 1e6, megabytesPerSecond(),
                eventsRead.get(), eta == null ? "?" : Progress.formatSeconds(eta));
    }

    /** Null when every hour was loaded, skipped or found not there; else what went wrong. */
    public String problem() {
        if (error.get() != null) {
            return error.get();
        }
        return failed.get() == 0 ? null : failed.get() + " hour(s) failed: " + String.join("; ", failures);
    }

    /** The command's exit status: as the backfill's (0 all loaded, 1 input skipped, 3 failures). */
    int exitCode() {
        return error.get() != null || failed.get() > 0 ? Backfill.FAILED : badLines.get() > 0 ? Backfill.INPUT_SKIPPED
                : Backfill.OK;
    }

    List<String> summary() {
        List<String> out = new java.util.ArrayList<>();
        out.add(String.format(Locale.ROOT, "sync %s to %s (%s): %d hours: %d loaded, %d already loaded, %d not"
                        + " published yet, %d missing at the source, %d unreadable at the source, %d failed", from, to,
                types, hours.get(), loaded.get(), alreadyLoaded.get() + alreadyLoadedFetched.get(), notPublished.get(),
                missing.get(), unreadable.get(), failed.get()));
        out.add(String.format(Locale.ROOT, "events: %,d read, %,d stored, %,d duplicate; %,d bad lines;"
                        + " %,.1f MB downloaded; %.2f s (%,.1f MB/s)", eventsRead.get(), eventsStored.get(),
                eventsDuplicate.get(), badLines.get(), downloadedBytes.get() / 1e6, seconds(), megabytesPerSecond()));
        failures.forEach(f -> out.add("failed " + f));
        if (error.get() != null) {
            out.add("stopped: " + error.get());
        }
        return out;
    }
}
