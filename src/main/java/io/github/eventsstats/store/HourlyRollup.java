package io.github.eventsstats.store;

import com.clickhouse.client.api.query.GenericRecord;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Counts the hours of `events` into events_hourly (V016, V017 say why that is exact). Blocking;
 * the service runs it on a schedule (rollup/), and anything may run it again at any time.
 */
@ApplicationScoped
public class HourlyRollup {

    /** Hours counted in one query: a day of GH Archive is ~5M rows, a bounded uniqExact. */
    static final int HOURS_PER_QUERY = 24;

    /** Hours with their row count in events_hour_writes, and when they were last written to. */
    private static final String WRITTEN_HOURS = """
            (
                SELECT hour, sum(rows) AS rows, max(last_write) AS last_write
                FROM events_hour_writes
                GROUP BY hour
            )
            """;
    /** Of those, the ones no count in events_hourly was taken at, quiet for {quiet_ms}. */
    private static final String CHANGED_AND_QUIET = """
            last_write <= now64(3, 'UTC') - toIntervalMillisecond({quiet_ms:UInt64})
              AND (hour, rows) NOT IN (SELECT hour, hour_rows FROM events_hourly FINAL)
            """;

    /**
     * Changed hours from {after} on with their row count, oldest first; an hour written to in the
     * last {quiet_ms} is left for later.
     */
    static final String CHANGED_HOURS = "SELECT hour, rows FROM " + WRITTEN_HOURS
            + "WHERE hour >= {after:DateTime('UTC')} AND " + CHANGED_AND_QUIET + "ORDER BY hour LIMIT {limit:UInt32}";

    /** How many hours {@link #CHANGED_HOURS} would list from the start, without a limit (bench/ waits on it). */
    public static final String CHANGED_HOUR_COUNT = "SELECT count() AS n FROM " + WRITTEN_HOURS + "WHERE " + CHANGED_AND_QUIET;

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

    private final ClickHouse clickHouse;

    HourlyRollup(ClickHouse clickHouse) {
        this.clickHouse = clickHouse;
    }

    /** A changed hour and its row count in events_hour_writes. */
    public record ChangedHour(Instant hour, long rows) {
    }

    /**
     * Up to {@code limit} changed hours from {@code after} on, oldest first, none written to in the last {@code quiet}
     * (an insert lands in `events` and in its views one after the other; the pause keeps a count
     * from falling between the two).
     */
    public List<ChangedHour> changedHours(Instant after, Duration quiet, int limit) {
        List<ChangedHour> hours = new ArrayList<>();
        for (GenericRecord r : clickHouse.query(CHANGED_HOURS, Map.of("after", ClickHouse.dateTime(after),
                "quiet_ms", quiet.toMillis(), "limit", limit))) {
            hours.add(new ChangedHour(r.getInstant("hour"), r.getLong("rows")));
        }
        return hours;
    }

    /** How many hours are changed and quiet for {@code quiet}: what {@link #countChangedHours} would count. */
    public int changedHourCount(Duration quiet) {
        return (int) clickHouse.query(CHANGED_HOUR_COUNT, Map.of("quiet_ms", quiet.toMillis())).getFirst().getLong("n");
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
        clickHouse.query(COUNT_HOURS, Map.of(
                "hours", array(hours.stream().map(h -> h.hour().getEpochSecond())),
                "rows", array(hours.stream().map(ChangedHour::rows)),
                "from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to)));
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
