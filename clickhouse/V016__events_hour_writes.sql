-- How many rows were ever written into `events` per hour of created_at, and when last, fed by a
-- materialized view. It counts copies too (a re-delivered event that raced past the writer): it
-- is no count of events, only the sign that an hour changed. events_hourly (V017) keeps an exact
-- count of each hour together with this row count as it was when the count was taken; while the
-- two row counts agree, that exact count still holds, and when they differ the hour is counted
-- from `events` again. Rows are never taken away here (a merge that folds a copy away leaves the
-- count), so a changed hour can never look unchanged.
--
-- The view comes first, then the fill from the rows already stored: a row inserted meanwhile is
-- counted by the view, the fill, or both. Counted twice, the hour only looks changed (its row
-- count matches no exact count yet), never unchanged, so no row is lost to the rollup. The fill
-- dates its rows at 1970 so that the sealer (store/HourlyRollup) may count those hours at once;
-- the view dates its rows by the engine's clock, so that an hour still being written is left for
-- later.
CREATE TABLE IF NOT EXISTS events_hour_writes
(
    hour       DateTime('UTC'),
    rows       SimpleAggregateFunction(sum, UInt64),
    last_write SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY hour;

CREATE MATERIALIZED VIEW IF NOT EXISTS events_hour_writes_mv TO events_hour_writes AS
SELECT
    toStartOfHour(created_at)  AS hour,
    count()                    AS rows,
    max(now64(3, 'UTC'))       AS last_write
FROM events
GROUP BY hour;

INSERT INTO events_hour_writes
SELECT
    toStartOfHour(created_at)      AS hour,
    count()                        AS rows,
    toDateTime64(0, 3, 'UTC')      AS last_write
FROM events
GROUP BY hour;
