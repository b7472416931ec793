package io.github.eventsstats.retention;

import io.github.eventsstats.clickhouse.SchemaConfig;
import io.github.eventsstats.clickhouse.SchemaMigrator;
import io.github.eventsstats.ingest.RawArchive;
import io.github.eventsstats.retention.RetentionStore.CurrentTtl;
import io.github.eventsstats.retention.RetentionStore.Expiring;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps storage bounded: every RETENTION_CHECK_INTERVAL (the first time once the schema is
 * applied) it sets each expiring table's TTL to what the settings say, if it differs, and deletes
 * what has expired: the rows of expired days ({@link Retention}), and the raw hour files past
 * RAW_RETENTION.
 *
 * <p>The engine's TTL alone would drop expired rows only when it next merges their parts with
 * TTL (every few hours per partition, by its own clock); the check makes them go within the
 * interval, by the service's clock. A check that finds nothing costs one count per table; a day
 * that expired costs one rewrite of the parts that hold it, once.
 *
 * <p>Only the process that applies the schema (not a command such as the backfill, whose settings
 * may differ) touches the TTLs and deletes. Replicas should share the settings: each sets the
 * TTLs to its own, and logs it when it does.
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    /** What the check at {@code at} (by the service's clock) did. */
    public record Check(Instant at, List<String> ttlsChanged, List<String> deleting, int rawFilesDeleted) {
    }

    private final RetentionStore store;
    private final Retention retention;
    private final RetentionConfig config;
    private final RawArchive raw;
    private final SchemaMigrator schema;
    private final boolean owner;
    private final InstantSource clock;
    private Instant nextCheck = Instant.MIN;
    private volatile Check last;

    RetentionJob(RetentionStore store, Retention retention, RetentionConfig config, RawArchive raw,
                 SchemaMigrator schema, SchemaConfig schemaConfig, InstantSource clock) {
        this.store = store;
        this.retention = retention;
        this.config = config;
        this.raw = raw;
        this.schema = schema;
        this.owner = schemaConfig.migrateAtStart();
        this.clock = clock;
        if (config.checkInterval().isNegative() || config.checkInterval().isZero()) {
            throw new IllegalArgumentException("RETENTION_CHECK_INTERVAL must be positive, such as 1h; got "
                    + config.checkInterval());
        }
    }

    /**
     * Ticks often and checks when a check is due by the clock: the first check as soon as the
     * schema is applied, then every RETENTION_CHECK_INTERVAL.
     */
    @Scheduled(identity = "retention", every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            checkIfDue();
        } catch (RuntimeException e) {
            LOG.warnf("retention: check failed (%s); trying again in %s", e.getMessage(), config.checkInterval());
        }
    }

    /** {@link #check}, if one is due by the clock (and this process owns the schema, once it is applied). */
    synchronized Optional<Check> checkIfDue() {
        if (!owner || !schema.isApplied() || clock.instant().isBefore(nextCheck)) {
            return Optional.empty();
        }
        return Optional.of(check());
    }

    /**
     * Sets the TTLs, starts the deletion of expired rows, deletes expired raw files. The next
     * scheduled check is due an interval from now.
     */
    public synchronized Check check() {
        Instant now = clock.instant();
        nextCheck = now.plus(config.checkInterval());
        last = new Check(now, setTtls(), deleteExpiredRows(), deleteExpiredFiles());
        return last;
    }

    /** The last check that ran to its end, if any. */
    public Optional<Check> lastCheck() {
        return Optional.ofNullable(last);
    }

    /** Each table's TTL as the settings want it; returns the tables changed. */
    private List<String> setTtls() {
        Map<String, CurrentTtl> current = store.currentTtls();
        List<String> changed = new ArrayList<>();
        for (Expiring t : RetentionStore.TABLES) {
            Optional<Duration> keep = keep(t);
            CurrentTtl now = current.getOrDefault(t.table(), new CurrentTtl.None());
            boolean same = keep.map(k -> now instanceof CurrentTtl.Days d && d.days() == k.toDays())
                    .orElse(now instanceof CurrentTtl.None);
            if (!same) {
                store.setTtl(t, keep);
                changed.add(t.table());
            }
        }
        if (!changed.isEmpty()) {
            LOG.infof("retention: TTL of %s set to keep %s", String.join(", ", changed), describe());
        }
        return changed;
    }

    private String describe() {
        return "events " + retention.events().map(d -> d.toDays() + "d").orElse("for ever")
                + ", rollups " + retention.rollups().map(d -> d.toDays() + "d").orElse("for ever");
    }

    private Optional<Duration> keep(Expiring t) {
        return t.kept() == RetentionStore.Kept.EVENTS ? retention.events() : retention.rollups();
    }

    /** Starts a deletion in each table holding expired rows, unless one is still under way there. */
    private List<String> deleteExpiredRows() {
        List<String> deleting = new ArrayList<>();
        for (Expiring t : RetentionStore.TABLES) {
            Optional<Instant> before = t.kept() == RetentionStore.Kept.EVENTS
                    ? retention.eventsExpiredBefore()
                    : retention.rollupsExpiredBefore();
            if (before.isEmpty()) {
                continue;
            }
            long expired = store.countExpired(t, before.get());
            if (expired > 0 && !store.mutating(t)) {
                store.deleteExpired(t, before.get());
                deleting.add(t.table());
                LOG.debugf("retention: deleting %d rows of %s before %s", expired, t.table(), before.get());
            }
        }
        return deleting;
    }

    private int deleteExpiredFiles() {
        Optional<Instant> before = retention.rawExpiredBefore();
        if (before.isEmpty()) {
            return 0;
        }
        try {
            List<Path> deleted = raw.deleteEndedBefore(before.get(), clock.instant());
            if (!deleted.isEmpty()) {
                LOG.debugf("retention: %d raw files deleted, up to %s", deleted.size(), deleted.getLast().getFileName());
            }
            return deleted.size();
        } catch (IOException e) {
            LOG.warnf("retention: raw files not deleted (%s)", e.getMessage());
            return 0;
        }
    }
}
