-- Per repository and hour: what top-repos needs, so that a long window reads its sealed hours here
-- and only the rest from `events` (store/MetricsQueries TOP_REPOS_ROLLED_UP says how).
--
-- The sealer (store/HourlyRollup) writes an hour's rows from `events FINAL`, the rows top-repos
-- reads without the rollup, so that the two answers are equal: count() per type, the exact
-- distinct sets of actors and pushes as states (a distinct count over many hours cannot be added
-- up, its sets can be merged), first and last created_at. Each row carries hour_rows, the hour's
-- row count in events_hour_writes (V016) read before the count, as events_hourly (V017) does; a
-- reader uses an hour only while that is still its row count, and otherwise reads it from `events`.
--
-- repo_hours_sealed says which counts are whole: its row for (hour, hour_rows) is written after
-- the hour's rows, so while it is missing the hour is read from `events`. Recounting an hour
-- writes its rows again with a larger hour_rows (row counts only grow), the version that
-- ReplacingMergeTree keeps; readers use FINAL. Two counts taken at the same hour_rows saw the same
-- rows, so either one is right.
--
-- Two tables of the same rows (the sealer writes the detail, a view the other), sorted for the
-- two reads: repo_hourly by hour, for the top repositories of a window (all its hours, no other
-- rows); repo_hourly_detail by repository, for the few repositories of the answer (their rows
-- only, across the window, with the states).
CREATE TABLE IF NOT EXISTS repo_hourly
(
    hour       DateTime('UTC'),
    repo_name  String,
    event_type LowCardinality(String),
    events     UInt64,
    hour_rows  UInt64
)
ENGINE = ReplacingMergeTree(hour_rows)
ORDER BY (hour, repo_name, event_type);

CREATE TABLE IF NOT EXISTS repo_hourly_detail
(
    repo_name  String,
    hour       DateTime('UTC'),
    event_type LowCardinality(String),
    events     UInt64,
    users      AggregateFunction(uniqExact, UInt64),
    pushes     AggregateFunction(uniqExact, UInt64),
    first_at   DateTime('UTC'),
    last_at    DateTime('UTC'),
    hour_rows  UInt64
)
ENGINE = ReplacingMergeTree(hour_rows)
ORDER BY (repo_name, hour, event_type);

-- The busiest repositories of each hour, ranked by events (ties by name, as top-repos orders),
-- the first 50 of them. With the 51st's count, which repo_hours_sealed keeps as the hour's
-- bound, a window's top repositories are found from these few rows per hour: a repository in
-- none of its hours' lists has at most the sum of their bounds (MetricsStore says how that is
-- used, and when it is not enough and the window is summed from repo_hourly instead).
CREATE TABLE IF NOT EXISTS repo_hour_top
(
    hour       DateTime('UTC'),
    rank       UInt32,
    repo_name  String,
    events     UInt64,
    hour_bound UInt64,
    hour_rows  UInt64
)
ENGINE = ReplacingMergeTree(hour_rows)
ORDER BY (hour, rank);

CREATE TABLE IF NOT EXISTS repo_hours_sealed
(
    hour      DateTime('UTC'),
    hour_rows UInt64,
    bound     UInt64,
    sealed_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(sealed_at)
ORDER BY (hour, hour_rows);

-- The sealer inserts into repo_hourly_detail; this view writes the same rows into repo_hourly.
CREATE MATERIALIZED VIEW IF NOT EXISTS repo_hourly_mv TO repo_hourly AS
SELECT hour, repo_name, event_type, events, hour_rows
FROM repo_hourly_detail;
