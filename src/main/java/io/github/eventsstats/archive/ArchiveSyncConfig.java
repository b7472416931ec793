package io.github.eventsstats.archive;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The GH Archive sync: downloads hour files and loads them through the backfill. */
@ConfigMapping(prefix = "archive.sync")
public interface ArchiveSyncConfig {

    /** ARCHIVE_SYNC_ENABLED: the scheduled job (the command and the admin endpoint work either way). */
    @WithDefault("false")
    boolean enabled();

    /** GHARCHIVE_URL (application.properties maps it): where the hour files are. */
    String url();

    /** ARCHIVE_SYNC_FROM: the first hour the job syncs, a date-hour (2026-11-01T00) or a period back (P7D). */
    @WithDefault("P1D")
    String from();

    /**
     * ARCHIVE_SYNC_EVENT_TYPES: the event types the sync stores (GitHub's names, or * for all). Unset:
     * POLLER_EVENT_TYPES's (which defaults to WatchEvent, PullRequestEvent, IssuesEvent).
     */
    Optional<List<String>> eventTypes();

    /** ARCHIVE_SYNC_EVERY: how often the job looks for hours not loaded yet. */
    @WithDefault("15m")
    Duration every();

    /** ARCHIVE_SYNC_ATTEMPTS: tries per hour file and run, for 5xx answers, timeouts and broken downloads. */
    @WithDefault("5")
    int attempts();

    /** ARCHIVE_SYNC_TIMEOUT: connect timeout, and the longest wait for the next bytes of a download. */
    @WithDefault("60s")
    Duration timeout();

    /** ARCHIVE_SYNC_MIN_FREE_DISK: a download starts only with this much free under DATA_DIR. */
    @WithDefault("1G")
    MemorySize minFreeDisk();

    /**
     * ARCHIVE_SYNC_MAX_LINE: the longest line the sync and the backfill read (1 to 1024 MiB). A
     * longer one is skipped without being held and counted as a bad line; GitHub's events are far
     * under 1 MB.
     */
    @WithDefault("16M")
    MemorySize maxLine();

    /**
     * ARCHIVE_SYNC_DEADLINE: the longest a sync runs. At it the sync stops, failed, and what it did
     * not load is synced later; a sync past it never keeps another from starting.
     */
    @WithDefault("6h")
    Duration deadline();

    /** ARCHIVE_SYNC_MAX_LINE in bytes, checked. */
    static int maxLineBytes(MemorySize maxLine) {
        long bytes = maxLine.asLongValue();
        if (bytes < 1 || bytes > EventFileReader.MAX_LINE_LIMIT) {
            throw new IllegalArgumentException("ARCHIVE_SYNC_MAX_LINE must be 1 byte to 1024M, not " + bytes + " bytes");
        }
        return (int) bytes;
    }
}
