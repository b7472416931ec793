package io.github.eventsstats.coverage;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.DataChanges;
import io.github.eventsstats.platform.Backoff;
import io.github.eventsstats.poller.PollLog;
import io.github.eventsstats.retention.Retention;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps `coverage_hourly` up to date with the sightings (every {@code COVERAGE_REFRESH_INTERVAL},
 * and before a coverage report) and holds its rows in memory, so the coverage object of an answer
 * costs no query: one small row per hour with data. Answers the coverage report.
 */
@ApplicationScoped
public class CoverageService {

    private static final Logger LOG = Logger.getLogger(CoverageService.class);
    /** Stale hours computed per query: a month of them in a handful of queries, each one bounded. */
    private static final int HOURS_PER_QUERY = 168;
    /** GitHub's X-Poll-Interval when nothing else is known. */
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(60);
    /** Polls looked at before a report's range, to know whether it starts inside a gap. */
    static final Duration GAP_LOOKBACK = Duration.ofDays(1);
    /** How long an answer waits for another one's refresh of the coverage (two dashboard parts ask at once). */
    static final Duration WAIT_FOR_REFRESH = Duration.ofSeconds(2);

    /** The whole hours of a coverage report, [from, to). */
    public record ReportRange(Instant from, Instant to) {

        /**
         * From and to as asked (null for the default) at {@code now}: from rounded down and to up to
         * whole hours; to defaults to the end of the current hour, from to 24 hours before to. Not
         * checked: the caller says what is too long or empty.
         */
        public static ReportRange of(Instant from, Instant to, Instant now) {
            Instant end = ceilHour(to != null ? to : now);
            return new ReportRange(floorHour(from != null ? from : end.minusSeconds(24 * 3600)), end);
        }

        public long hours() {
            return (to.getEpochSecond() - from.getEpochSecond()) / 3600;
        }
    }

    private final CoverageStore store;
    private final PollLog polls;
    private final CoverageConfig config;
    private final ClickHouse clickHouse;
    private final InstantSource clock;
    private final Retention retention;
    private final DataChanges changes;
    private volatile NavigableMap<Instant, HourCoverage> hours = new TreeMap<>();
    /** {@link DataChanges#version()} when the last refresh began: every write before it is in {@link #hours}. */
    private volatile long computedVersion = -1;
    private final ReentrantLock lock = new ReentrantLock();
    private int failures;

    CoverageService(CoverageStore store, PollLog polls, CoverageConfig config, ClickHouse clickHouse,
                    InstantSource clock, Retention retention, DataChanges changes) {
        this.store = store;
        this.changes = changes;
        this.polls = polls;
        this.config = config;
        this.clickHouse = clickHouse;
        this.clock = clock;
        this.retention = retention;
    }

    @Scheduled(identity = "coverage-refresh", every = "${coverage.refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = SchemaPending.class)
    void scheduledRefresh() {
        try {
            refresh();
            failures = 0;
        } catch (RuntimeException e) {
            if (Backoff.worthLogging(++failures)) {
                LOG.warnf("coverage: refresh failed (%s), %d time(s) in a row; answers keep the last coverage;"
                        + " next try in %s", e.getMessage(), failures, config.refreshInterval());
            }
        }
    }

    /** Computes the hours with new sightings, then reloads every hour (other replicas compute too). */
    public void refresh() {
        lock.lock();
        try {
            long version = changes.version();
            List<CoverageStore.Stale> stale = store.stale(retention.countableFrom()); // oldest first
            for (int i = 0; i < stale.size(); i += HOURS_PER_QUERY) {
                store.compute(stale.subList(i, Math.min(stale.size(), i + HOURS_PER_QUERY)));
            }
            NavigableMap<Instant, HourCoverage> loaded = new TreeMap<>();
            for (HourCoverage h : store.all()) {
                loaded.put(h.hour(), h);
            }
            hours = loaded;
            computedVersion = version;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Computes the coverage of what this process stored since the last refresh before an answer
     * says what it rests on: without it, events stored a moment ago would stand next to "nothing
     * seen in these hours" until the scheduled refresh. Answers are computed on worker threads. An
     * answer does not wait for a refresh another thread is running (a sync's hour can take a
     * while) longer than {@link #WAIT_FOR_REFRESH}: it says its coverage is not up to date, as it
     * does when the refresh fails.
     */
    private boolean current() {
        long asked = changes.version();
        if (computedVersion >= asked) {
            return true;
        }
        try {
            if (lock.tryLock(WAIT_FOR_REFRESH.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    if (computedVersion < asked) { // another answer's refresh may have done it meanwhile
                        refresh();
                    }
                } catch (RuntimeException e) {
                    LOG.debugf("coverage: refresh before an answer failed (%s); its coverage says it is not up to date",
                            e.getMessage());
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return computedVersion >= asked;
    }

    /**
     * The report of {@code range}, its new sightings computed first, off the event loop; the
     * poller's gaps up to the range's end or now, whichever comes first.
     */
    public Uni<CoverageReport> report(ReportRange range) {
        Instant now = clock.instant();
        Instant gapsEnd = range.to().isBefore(now) ? range.to() : now;
        return clickHouse.async(() -> {
            refresh();
            return CoverageReport.of(range.from(), range.to(), hours(range.from(), range.to()),
                    gaps(range.from(), gapsEnd), retention.eventsExpiredBefore().orElse(null));
        });
    }

    /** The hours with data in [fromHour, toHour), of the days whose rollups (coverage_hourly among them) are kept. */
    public List<HourCoverage> hours(Instant fromHour, Instant toHour) {
        Instant kept = retention.rollupsKeptFrom();
        Instant from = fromHour.isBefore(kept) ? kept : fromHour;
        return from.isBefore(toHour) ? List.copyOf(hours.subMap(from, true, toHour, false).values()) : List.of();
    }

    /** Coverage of an answer over [from, to], both inclusive: every UTC hour that range touches. */
    public Coverage of(Instant from, Instant to) {
        boolean current = current();
        Instant fromHour = floorHour(from);
        Instant toHour = floorHour(to).plusSeconds(3600);
        return Coverage.of(fromHour, toHour, hours(fromHour, toHour), retention.eventsExpiredBefore().orElse(null))
                .upToDate(current);
    }

    /**
     * Coverage of an answer over all stored events: the hours from the first with data (or the
     * first whose events are kept) to the last.
     */
    public Coverage ofAll() {
        boolean current = current();
        Instant expiredBefore = retention.eventsExpiredBefore().orElse(null);
        NavigableMap<Instant, HourCoverage> h = expiredBefore == null ? hours : hours.tailMap(expiredBefore, true);
        if (h.isEmpty()) {
            Instant none = expiredBefore == null ? Instant.EPOCH : expiredBefore;
            return Coverage.of(none, none, List.of(), expiredBefore).upToDate(current);
        }
        Instant toHour = h.lastKey().plusSeconds(3600);
        return Coverage.of(h.firstKey(), toHour, h.values(), expiredBefore).upToDate(current);
    }

    /**
     * Where the firehose poller was not polling within [from, end), from the first day whose
     * polls are kept (they follow ROLLUP_RETENTION): before it, no poll says either way.
     */
    public List<PollGaps.Gap> gaps(Instant from, Instant end) {
        Instant kept = retention.rollupsKeptFrom();
        Instant start = from.isBefore(kept) ? kept : from;
        if (!start.isBefore(end)) {
            return List.of();
        }
        return PollGaps.within(polls.between(start.minus(GAP_LOOKBACK), end), start, end, DEFAULT_POLL_INTERVAL);
    }

    public static Instant floorHour(Instant t) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), 3600) * 3600);
    }

    private static Instant ceilHour(Instant t) {
        Instant floor = floorHour(t);
        return floor.equals(t) ? t : floor.plusSeconds(3600);
    }
}
