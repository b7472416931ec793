package io.github.eventsstats.metrics;

import io.github.eventsstats.clickhouse.ClickHouse;

/**
 * The SQL behind the metrics API. Every value is a {@code {name:Type}} parameter. Public so that
 * bench/ times exactly these texts.
 *
 * <p>No event may be counted twice, yet `events` can briefly hold a second copy of an event that
 * raced past the writer, until its parts merge. Two ways keep the counts exact, chosen per query
 * by what it reads (measured in bench/, see docs/benchmarks/api-bench.md):
 * <ul>
 *   <li>a time window over all repositories reads the `by_time` projection and counts
 *       {@code uniqExact(event_id)}: its cost follows the window, not the table;</li>
 *   <li>everything else reads {@code FINAL}, which folds copies while streaming in key order with
 *       bounded memory, and costs next to nothing on merged parts.</li>
 * </ul>
 * Windows that hold whole hours read those from the exact per-hour counts of events_hourly
 * ({@link #COUNTS_ROLLED_UP}), so they cost hours, not events.
 * Optional filters take '' for "any": the parameter is a constant, so ClickHouse folds the
 * condition away and still uses the sorting key when a repository is given.
 *
 * <p>Every read of `events` for an answer starts at {expired_before}, the first day whose events
 * are kept (EVENTS_RETENTION, retention/Retention; the epoch while they are kept for ever): an
 * answer does not depend on whether expired rows are deleted yet. The hours before it that a
 * window holds whole are read from the rollups alone, whatever was written into them since.
 */
public final class MetricsQueries {

    private MetricsQueries() {
    }

    /** Opened PRs of one repository from the aggregate; duplicates cannot change uniqExact/min/max. */
    public static final String PR_OPENINGS = """
            SELECT
                uniqExactMerge(opened_count) AS n,
                minOrNull(first_opened_at)   AS first,
                maxOrNull(last_opened_at)    AS last,
                if(n < 2, NULL, (toUInt32(last) - toUInt32(first)) / (n - 1)) AS average_seconds
            FROM pr_metrics_agg
            WHERE repo_name = {repo:String}
            """;

    /** Events per type in [from, to], from the `by_time` projection. */
    public static final String COUNTS_IN_WINDOW = """
            SELECT toString(event_type) AS type, uniqExact(event_id) AS n
            FROM events
            WHERE created_at BETWEEN {from:DateTime('UTC')} AND {to:DateTime('UTC')}
              AND created_at >= {expired_before:DateTime('UTC')}
            GROUP BY event_type
            """;

    /** Events per bucket and type in [from, to), from the `by_time` projection. */
    public static final String COUNTS_PER_BUCKET = """
            SELECT
                toStartOfInterval(created_at, toIntervalSecond({step:UInt32})) AS bucket,
                toString(event_type) AS type,
                uniqExact(event_id) AS n
            FROM events
            WHERE created_at >= {from:DateTime('UTC')} AND created_at < {to:DateTime('UTC')}
              AND created_at >= {expired_before:DateTime('UTC')}
            GROUP BY bucket, event_type
            """;

    /**
     * Events per type in [from, to) (and of one action, '' for any), for windows that hold whole
     * hours [inner_from, inner_to): those hours come from the exact counts of events_hourly (V017)
     * where they still hold, and only the rest from `events`, exact with uniqExact: the edges
     * before inner_from and from inner_to, and the whole hours written since they were counted.
     * The three parts cover disjoint times, so their counts add up. An hour whose events have
     * expired (before {expired_before}) holds its last count; `events` is not read there.
     */
    public static final String COUNTS_ROLLED_UP = rolledUp("", "", "");

    /** As {@link #COUNTS_ROLLED_UP}, per bucket of {step} seconds, a whole number of hours. */
    public static final String COUNTS_PER_BUCKET_ROLLED_UP = rolledUp("bucket, ",
            "toStartOfInterval(hour, toIntervalSecond({step:UInt32})) AS bucket, ",
            "toStartOfInterval(created_at, toIntervalSecond({step:UInt32})) AS bucket, ");

    /**
     * The whole hours of [inner_from, inner_to) whose events are kept and the rows each holds now
     * (events_hour_writes, V016), as one scalar array: a rolled-up row of such an hour is read only
     * while its hour's count still holds ({@link #IN_WRITTEN}).
     */
    private static final String WRITTEN = """
                (
                    SELECT groupArray((hour, rows))
                    FROM
                    (
                        SELECT hour, sum(rows) AS rows
                        FROM events_hour_writes
                        WHERE hour >= {inner_from:DateTime('UTC')} AND hour < {inner_to:DateTime('UTC')}
                          AND hour >= {expired_before:DateTime('UTC')}
                        GROUP BY hour
                    )
                ) AS written,
            """;

    /** A rollup row counted when its hour held what it holds now (see {@link #WRITTEN}). */
    private static final String IN_WRITTEN =
            "(hour, hour_rows) IN (SELECT w.1, w.2 FROM (SELECT arrayJoin(written) AS w))";

    /**
     * The rows of [from, to) that no sealed hour holds: the edges and the {@code open_hours}, of
     * the days whose events are kept.
     */
    private static final String OPEN_EVENTS = """
            (created_at >= {expired_before:DateTime('UTC')}
             AND ((created_at >= {from:DateTime('UTC')} AND created_at < {inner_from:DateTime('UTC')})
                OR (created_at >= {inner_to:DateTime('UTC')} AND created_at < {to:DateTime('UTC')})
                OR (created_at >= arrayMin(open_hours) AND created_at < arrayMax(open_hours) + 3600
                    AND has(open_hours, toStartOfHour(created_at)))))
            """;

    private static String rolledUp(String bucket, String bucketOfHour, String bucketOfEvent) {
        // Scalars, worked out once: as CTEs the engine ran `written` and `sealed` again at every
        // use (11 table reads a query, ~70 ms of fixed cost measured at 20,000 and at 100M events).
        return ("WITH\n" + WRITTEN + """
                    (
                        SELECT groupUniqArray(hour)
                        FROM events_hourly FINAL
                        WHERE hour >= {inner_from:DateTime('UTC')} AND hour < {inner_to:DateTime('UTC')}
                          AND %4$s
                    ) AS sealed_hours,
                    arrayFilter(h -> NOT has(sealed_hours, h), arrayMap(w -> w.1, written)) AS open_hours
                SELECT %1$stype, sum(n) AS n
                FROM
                (
                    SELECT %2$sevent_type AS type, sum(events) AS n
                    FROM events_hourly FINAL
                    WHERE hour >= {inner_from:DateTime('UTC')} AND hour < {inner_to:DateTime('UTC')}
                      AND (%4$s OR hour < {expired_before:DateTime('UTC')})
                      AND event_type != '' AND ({action:String} = '' OR action = {action:String})
                    GROUP BY ALL
                    UNION ALL
                    SELECT %3$stoString(event_type) AS type, uniqExact(event_id) AS n
                    FROM events
                    WHERE %5$s
                      AND ({action:String} = '' OR action = {action:String})
                    GROUP BY ALL
                )
                GROUP BY ALL
                """).formatted(bucket, bucketOfHour, bucketOfEvent, IN_WRITTEN, OPEN_EVENTS);
    }

    /** Events (without copies) and physical rows (with them), optionally of one repository. */
    public static final String ROW_COUNTS = """
            SELECT
                (SELECT count() FROM events FINAL WHERE {repo:String} = '' OR repo_name = {repo:String}) AS events,
                (SELECT count() FROM events WHERE {repo:String} = '' OR repo_name = {repo:String}) AS rows
            """;

    /** Count, first, last and mean gap of the events that match the optional filters. */
    public static final String EVENT_GAPS = """
            SELECT
                count()                 AS n,
                minOrNull(created_at)   AS first,
                maxOrNull(created_at)   AS last,
                if(n < 2, NULL, (toUInt32(last) - toUInt32(first)) / (n - 1)) AS average_seconds
            FROM events FINAL
            WHERE ({repo:String} = '' OR repo_name = {repo:String})
              AND ({type:String} = '' OR event_type = {type:String})
              AND ({action:String} = '' OR action = {action:String})
              AND created_at >= {expired_before:DateTime('UTC')}
            """;

    /** Events per type that match the optional filters. */
    public static final String TOTALS_BY_TYPE = """
            SELECT toString(event_type) AS type, count() AS n
            FROM events FINAL
            WHERE ({repo:String} = '' OR repo_name = {repo:String})
              AND ({action:String} = '' OR action = {action:String})
              AND created_at >= {expired_before:DateTime('UTC')}
            GROUP BY event_type
            """;

    /** Repositories with more than {min} events of one type, most first. */
    public static final String REPOS_WITH_MORE_THAN = """
            SELECT repo_name, count() AS n
            FROM events FINAL
            WHERE event_type = {type:String}
              AND created_at >= {expired_before:DateTime('UTC')}
            GROUP BY repo_name
            HAVING n > {min:UInt64}
            ORDER BY n DESC, repo_name
            LIMIT {limit:UInt32}
            """;

    /** The most active repositories in [from, to]. */
    public static final String TOP_REPOS = """
            SELECT
                repo_name,
                count()                                     AS total_events,
                uniqExact(actor_id)                         AS unique_users,
                min(created_at)                             AS first_event_at,
                max(created_at)                             AS last_event_at,
                uniqExactIf(push_id, event_type = 'PushEvent') AS push_events,
                sumMap(map(toString(event_type), toUInt64(1))) AS by_type
            FROM events FINAL
            WHERE created_at BETWEEN {from:DateTime('UTC')} AND {to:DateTime('UTC')}
              AND created_at >= {expired_before:DateTime('UTC')}
            GROUP BY repo_name
            ORDER BY total_events DESC, repo_name
            LIMIT {limit:UInt32}
            """;

    /**
     * The hours of [inner_from, inner_to) that repo_hourly (V023) holds as (hour, hour_rows,
     * bound), and the others (open_hours): the edges and hours written since, read from `events`
     * by {@link #OPEN_EVENTS}. An hour whose events have expired is sealed at its last count (the
     * largest hour_rows: row counts only grow). Scalars, so that the query works them out once
     * however often it uses them.
     */
    private static final String REPO_HOURS = "WITH\n" + WRITTEN + """
                (
                    SELECT groupArray((hour, hour_rows, bound))
                    FROM
                    (
                        SELECT hour, hour_rows, bound
                        FROM repo_hours_sealed FINAL
                        WHERE hour >= {inner_from:DateTime('UTC')} AND hour < {inner_to:DateTime('UTC')}
                          AND """ + IN_WRITTEN + """

                        UNION ALL
                        SELECT hour, max(hour_rows), argMax(bound, hour_rows)
                        FROM repo_hours_sealed FINAL
                        WHERE hour >= {inner_from:DateTime('UTC')} AND hour < {inner_to:DateTime('UTC')}
                          AND hour < {expired_before:DateTime('UTC')}
                        GROUP BY hour
                    )
                ) AS sealed,
                (
                    SELECT groupArray(w.1)
                    FROM (SELECT arrayJoin(written) AS w)
                    WHERE w.1 NOT IN (SELECT s.1 FROM (SELECT arrayJoin(sealed) AS s))
                ) AS open_hours
            """;

    /** The rows of repo_hourly, repo_hourly_detail or repo_hour_top ({table}) in sealed hours. */
    private static String sealedRows(String table) {
        return table + " FINAL\n" + sealedWhere();
    }

    /**
     * {@link #sealedRows} without FINAL: every copy of the sealed version's rows. Copies at one
     * version are alike (a recount after a failure writes the same rows again), so this is for
     * aggregates that a copy cannot change (merging sets, min, max, max per key).
     */
    private static String sealedRowsAsWritten(String table) {
        return table + "\n" + sealedWhere();
    }

    private static String sealedWhere() {
        return """
                WHERE hour >= {inner_from:DateTime('UTC')} AND hour < {inner_to:DateTime('UTC')}
                  AND (hour, hour_rows) IN (SELECT s.1, s.2 FROM (SELECT arrayJoin(sealed) AS s))
                """;
    }

    /**
     * What bounds the top repositories of [from, to) with whole hours [inner_from, inner_to),
     * without summing every repository: kind 'top', per repository in a sealed hour's list
     * (repo_hour_top), its events there (n) and the sum of those hours' bounds (m); kind 'bound',
     * the sum of all sealed hours' bounds (n) and their number (m); kind 'open', per repository of
     * the rest of the window, its events (n) and rank (m), for the first {top} + 1 and for those in
     * a list. metrics/TopRepoBounds draws the conclusions. The open part is read across all
     * repositories by time, so through the by_time_repo projection (V029), with copies folded by
     * distinct event id: `events FINAL` cannot narrow a time range and read whole months.
     */
    public static final String TOP_REPOS_BOUNDS = REPO_HOURS + """
            SELECT 'top' AS kind, repo_name, sum(events) AS n, sum(hour_bound) AS m
            FROM %1$s
            GROUP BY repo_name
            UNION ALL
            SELECT 'bound', '', arraySum(s -> s.3, sealed), length(sealed)
            UNION ALL
            SELECT 'open', repo_name, n, rank
            FROM
            (
                SELECT repo_name, n, row_number() OVER (ORDER BY n DESC, repo_name) AS rank
                FROM (SELECT repo_name, uniqExact(event_id) AS n FROM events WHERE %2$s GROUP BY repo_name)
            )
            WHERE rank <= {top:UInt32} + 1 OR repo_name IN (SELECT repo_name FROM %1$s)
            """.formatted(sealedRows("repo_hour_top"), OPEN_EVENTS);

    /**
     * The top {limit} repositories of the window as {@link #TOP_REPOS_BOUNDS} gives it, summing
     * every repository of every sealed hour: for when the bounds do not settle the answer.
     */
    public static final String TOP_REPOS_SUMMED = REPO_HOURS + """
            SELECT repo_name, sum(n) AS total_events
            FROM
            (
                SELECT repo_name, sum(events) AS n FROM %s GROUP BY repo_name
                UNION ALL
                SELECT repo_name, uniqExact(event_id) AS n FROM events WHERE %s GROUP BY repo_name
            )
            GROUP BY repo_name
            ORDER BY total_events DESC, repo_name
            LIMIT {limit:UInt32}
            """.formatted(sealedRows("repo_hourly"), OPEN_EVENTS);

    /**
     * {@link #TOP_REPOS}' columns for the repositories {repos} over the window as
     * {@link #TOP_REPOS_BOUNDS} gives it: the sealed hours from repo_hourly_detail (distinct sets
     * merged), the rest from `events`, both through the sorting key by repository. Neither is read
     * with FINAL, which cost more than the merge itself (10M events, the ten busiest
     * repositories' 21,625 rollup rows: 107 ms with it, 87 ms without; their rows of one edge
     * hour of `events`: 50 ms with it, 22 ms without). Sets, first and last are what a copy
     * cannot change (copies of an event, or of a rollup row at one version, are alike in what is
     * read here); the events are counted by distinct id, the rollup's counts take one value per
     * (repository, hour, type) before they are summed. Each hour's set is merged once, into one
     * per repository: merging them per type first and then per repository merged every set twice
     * (a year at 100M events, uniqExact states: 570 to 660 ms against 310 to 350 ms merged once).
     */
    public static final String TOP_REPOS_OF = REPO_HOURS + """
            SELECT
                repo_name,
                sum(n)                   AS total_events,
                groupBitmapMerge(users)  AS unique_users,
                min(first)               AS first_event_at,
                max(last)                AS last_event_at,
                groupBitmapMerge(pushes) AS push_events,
                sumMap(counts)           AS by_type
            FROM
            (
                SELECT repo_name, n, counts, users, pushes, first, last
                FROM
                (
                    SELECT repo_name, groupBitmapMergeState(users) AS users, groupBitmapMergeState(pushes) AS pushes,
                           min(first_at) AS first, max(last_at) AS last
                    FROM %1$s
                    GROUP BY repo_name
                ) AS sets
                INNER JOIN
                (
                    SELECT repo_name, sum(hour_n) AS n, sumMap(map(type, hour_n)) AS counts
                    FROM
                    (
                        SELECT repo_name, hour, toString(event_type) AS type, max(events) AS hour_n
                        FROM %1$s
                        GROUP BY repo_name, hour, event_type
                    )
                    GROUP BY repo_name
                ) AS sizes USING (repo_name)
                UNION ALL
                SELECT repo_name, uniqExact(event_id) AS open_n, map(toString(event_type), open_n),
                       groupBitmapState(actor_id), groupBitmapIfState(push_id, event_type = 'PushEvent'),
                       min(created_at), max(created_at)
                FROM events
                WHERE repo_name IN {repos:Array(String)} AND %2$s
                GROUP BY repo_name, event_type
            )
            GROUP BY repo_name
            """.formatted(sealedRowsAsWritten("repo_hourly_detail") + "  AND repo_name IN {repos:Array(String)}\n", OPEN_EVENTS);

    /**
     * Actors' sessions in [from, to]: an event more than {gap} seconds after the actor's previous
     * one starts a new session. The running sum of those starts numbers the sessions.
     */
    public static final String SESSIONS = """
            SELECT
                argMax(actor_login, created_at) AS actor_login,
                min(created_at)                 AS session_start_at,
                max(created_at)                 AS session_end_at,
                count()                         AS events_in_session
            FROM
            (
                SELECT actor_id, actor_login, created_at,
                       sum(starts_session) OVER (PARTITION BY actor_id ORDER BY created_at, event_id
                                                 ROWS UNBOUNDED PRECEDING) AS session
                FROM
                (
                    SELECT actor_id, actor_login, created_at, event_id,
                           created_at - lagInFrame(created_at, 1, toDateTime(0, 'UTC'))
                               OVER (PARTITION BY actor_id ORDER BY created_at, event_id
                                     ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) > {gap:UInt32} AS starts_session
                    FROM events FINAL
                    WHERE created_at BETWEEN {from:DateTime('UTC')} AND {to:DateTime('UTC')}
                      AND created_at >= {expired_before:DateTime('UTC')}
                      AND ({actor:String} = '' OR actor_login = {actor:String})
                )
            )
            GROUP BY actor_id, session
            ORDER BY events_in_session DESC, session_start_at DESC, actor_login
            LIMIT {limit:UInt32}
            """;
}
