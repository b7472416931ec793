package io.github.eventsstats.rollup;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.retention.Retention;
import com.clickhouse.client.api.query.GenericRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Counts the hours of `events` into events_hourly and, per repository, into the top-repos rollup
 * (V016, V017 and V023 say why that is exact). Blocking;
 * the service runs it on a schedule (rollup/), and anything may run it again at any time.
 */
@ApplicationScoped
public class HourlyRollup {

    /** Hours counted in one query: a day of GH Archive is ~5M rows, a bounded uniqExact. */
    static final int HOURS_PER_QUERY = 24;
    /** Repositories ranked per hour in repo_hour_top. */
    public static final int TOP_PER_HOUR = 50;

    /** Hours with their row count in events_hour_writes, and when they were last written to. */
    private static final String WRITTEN_HOURS = """
            (
                SELECT hour, sum(rows) AS rows, max(last_write) AS last_write
                FROM events_hour_writes
                GROUP BY hour
            )
            """;
    /**
     * Of those, the ones no count in events_hourly or repo_hourly (V023) was taken at, quiet for
     * {quiet_ms}. (An hour missing from one only, as every hour is once V023 came after V017, is
     * counted into both: a second count at the same row count changes nothing.)
     */
    private static final String CHANGED_AND_QUIET = """
            last_write <= now64(3, 'UTC') - toIntervalMillisecond({quiet_ms:UInt64})
              AND ((hour, rows) NOT IN (SELECT hour, hour_rows FROM events_hourly FINAL)
                OR (hour, rows) NOT IN (SELECT hour, hour_rows FROM repo_hours_sealed))
            """;

    /**
     * Changed hours from {after} on with their row count, oldest first; an hour written to in the
     * last {quiet_ms} is left for later.
     */
    static final String CHANGED_HOURS = "SELECT hour, rows FROM " + WRITTEN_HOURS
            + "WHERE hour >= {after:DateTime('UTC')} AND " + CHANGED_AND_QUIET + "ORDER BY hour LIMIT {limit:UInt32}";

    /** How many hours {@link #CHANGED_HOURS} would list from {after} on, without a limit (bench/ waits on it). */
    public static final String CHANGED_HOUR_COUNT = "SELECT count() AS n FROM " + WRITTEN_HOURS
            + "WHERE hour >= {after:DateTime('UTC')} AND " + CHANGED_AND_QUIET;

    /**
     * The exact counts of the given hours, each with the row count read before it, and one row of
     * type '' and 0 events per hour, so that an hour whose events are gone (a dropped partition)
     * is counted once, not again at every run.
     */
    static final String COUNT_HOURS = """
            INSERT INTO events_hourly (hour, event_type, action, events, hour_rows, sealed_at)
            SELECT
                toStartOfHour(created_at)             AS h,
                toString(event_type)                  AS type,
                action,
                uniqExact(event_id)                   AS n,
                {rows:Array(UInt64)}[indexOf({hours:Array(UInt32)}, toUInt32(h))] AS hour_rows,
                now64(3, 'UTC')                       AS sealed_at
            FROM events
            WHERE created_at >= {from:DateTime('UTC')} AND created_at < {to:DateTime('UTC')}
              AND has({hours:Array(UInt32)}, toUInt32(h))
            GROUP BY h, event_type, action
            UNION ALL
            SELECT toDateTime(hr.1, 'UTC'), '', '', 0, hr.2, now64(3, 'UTC')
            FROM (SELECT arrayJoin(arrayZip({hours:Array(UInt32)}, {rows:Array(UInt64)})) AS hr)
            """;

    /**
     * Per repository and type, the given hours' rows of `events FINAL` (what top-repos reads
     * without the rollup, so both answers agree), each with the row count read before it; the
     * view repo_hourly_mv copies the counts into repo_hourly.
     */
    static final String COUNT_REPO_HOURS = """
            INSERT INTO repo_hourly_detail (repo_name, hour, event_type, events, users, pushes, first_at, last_at, hour_rows)
            SELECT
                repo_name,
                toStartOfHour(created_at)                        AS h,
                toString(event_type)                             AS type,
                count(),
                groupBitmapState(actor_id),
                groupBitmapIfState(push_id, event_type = 'PushEvent'),
                min(created_at),
                max(created_at),
                {rows:Array(UInt64)}[indexOf({hours:Array(UInt32)}, toUInt32(h))]
            FROM events FINAL
            WHERE created_at >= {from:DateTime('UTC')} AND created_at < {to:DateTime('UTC')}
              AND has({hours:Array(UInt32)}, toUInt32(h))
            GROUP BY repo_name, h, event_type
            """;

    /** The busiest repositories of each hour just counted (V023), ranked as top-repos orders them. */
    private static final String RANKED = """
            (
                SELECT hour, repo_name, n, row_number() OVER (PARTITION BY hour ORDER BY n DESC, repo_name) AS rank
                FROM
                (
                    SELECT hour, repo_name, sum(events) AS n
                    FROM repo_hourly FINAL
                    WHERE hour >= {from:DateTime('UTC')} AND hour < {to:DateTime('UTC')}
                      AND (toUInt32(hour), hour_rows) IN arrayZip({hours:Array(UInt32)}, {rows:Array(UInt64)})
                    GROUP BY hour, repo_name
                )
            )
            """;

    /** Each hour's first {@link #TOP_PER_HOUR} repositories, with the hour's bound (the next one's count). */
    static final String RANK_REPO_HOURS = """
            INSERT INTO repo_hour_top (hour, rank, repo_name, events, hour_bound, hour_rows)
            SELECT hour, rank, repo_name, n,
                   max(if(rank = {top:UInt32} + 1, n, 0)) OVER (PARTITION BY hour) AS hour_bound,
                   {rows:Array(UInt64)}[indexOf({hours:Array(UInt32)}, toUInt32(hour))]
            FROM %s
            WHERE rank <= {top:UInt32} + 1
            QUALIFY rank <= {top:UInt32}
            """.formatted(RANKED);

    /**
     * Written once the hours' repository rows are stored: from then on readers may use them. The
     * bound is the count of the hour's first repository not in repo_hour_top (0 if none).
     */
    static final String SEAL_REPO_HOURS = """
            INSERT INTO repo_hours_sealed (hour, hour_rows, bound, sealed_at)
            SELECT toDateTime(hr.1, 'UTC') AS h, hr.2, ifNull(b.n, 0), now64(3, 'UTC')
            FROM (SELECT arrayJoin(arrayZip({hours:Array(UInt32)}, {rows:Array(UInt64)})) AS hr) AS s
            LEFT JOIN (SELECT hour, n FROM %s WHERE rank = {top:UInt32} + 1) AS b ON b.hour = toDateTime(s.hr.1, 'UTC')
            SETTINGS join_use_nulls = 1
            """.formatted(RANKED);

    private final ClickHouse clickHouse;
    private final Retention retention;

    HourlyRollup(ClickHouse clickHouse, Retention retention) {
        this.clickHouse = clickHouse;
        this.retention = retention;
    }

    /** A changed hour and its row count in events_hour_writes. */
    public record ChangedHour(Instant hour, long rows) {
    }

    /**
     * Up to {@code limit} changed hours from {@code after} on, oldest first, none written to in the last {@code quiet}
     * (an insert lands in `events` and in its views one after the other; the pause keeps a count
     * from falling between the two). Never an hour whose events have expired, or are about to
     * ({@link Retention#countableFrom}): its count stays what it was, as its rows go (or as rows
     * written into it late, and dropped as expired, move its row count).
     */
    public List<ChangedHour> changedHours(Instant after, Duration quiet, int limit) {
        List<ChangedHour> hours = new ArrayList<>();
        for (GenericRecord r : clickHouse.query(CHANGED_HOURS, Map.of("after", ClickHouse.dateTime(countable(after)),
                "quiet_ms", quiet.toMillis(), "limit", limit))) {
            hours.add(new ChangedHour(r.getInstant("hour"), r.getLong("rows")));
        }
        return hours;
    }

    /** How many hours are changed and quiet for {@code quiet}: what {@link #countChangedHours} would count. */
    public int changedHourCount(Duration quiet) {
        return (int) clickHouse.query(CHANGED_HOUR_COUNT, Map.of("after", ClickHouse.dateTime(countable(Instant.EPOCH)),
                "quiet_ms", quiet.toMillis())).getFirst().getLong("n");
    }

    private Instant countable(Instant after) {
        Instant from = retention.countableFrom();
        return after.isBefore(from) ? from : after;
    }

    /** Counts the hours (at most {@link #HOURS_PER_QUERY}) again, from `events`. */
    public void count(List<ChangedHour> hours) {
        if (hours.isEmpty()) {
            return;
        }
        if (hours.size() > HOURS_PER_QUERY) {
            throw new IllegalArgumentException(hours.size() + " hours in one count, more than " + HOURS_PER_QUERY);
        }
        Instant from = hours.stream().map(ChangedHour::hour).min(Instant::compareTo).orElseThrow();
        Instant to = hours.stream().map(ChangedHour::hour).max(Instant::compareTo).orElseThrow().plusSeconds(3600);
        Map<String, Object> params = Map.of(
                "hours", array(hours.stream().map(h -> h.hour().getEpochSecond())),
                "rows", array(hours.stream().map(ChangedHour::rows)),
                "from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to));
        // an hour's repository rows before its seal: readers take them once it is sealed
        clickHouse.query(COUNT_REPO_HOURS, params);
        Map<String, Object> ranked = new HashMap<>(params);
        ranked.put("top", TOP_PER_HOUR);
        clickHouse.query(RANK_REPO_HOURS, ranked);
        clickHouse.query(SEAL_REPO_HOURS, ranked);
        clickHouse.query(COUNT_HOURS, params);
    }

    /** An Array(UInt*) parameter in the text form the server parses. */
    private static String array(java.util.stream.Stream<Long> values) {
        return values.map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
    }

    /**
     * Counts every changed hour (oldest first, in queries of {@link #HOURS_PER_QUERY}) until none
     * is left that has been quiet for {@code quiet}. Returns how many hours it counted.
     */
    public int countChangedHours(Duration quiet, ProgressListener progress) {
        int counted = 0;
        Instant after = Instant.EPOCH;
        for (List<ChangedHour> batch = changedHours(after, quiet, HOURS_PER_QUERY); !batch.isEmpty();
             batch = changedHours(after, quiet, HOURS_PER_QUERY)) {
            count(batch);
            counted += batch.size();
            after = batch.getLast().hour().plusSeconds(3600); // each hour once per run, whatever its count did
            progress.counted(counted, batch.getLast().hour());
        }
        return counted;
    }

    /** Told after each query of {@link #countChangedHours}. */
    @FunctionalInterface
    public interface ProgressListener {
        void counted(int hoursSoFar, Instant lastHour);
    }
}
