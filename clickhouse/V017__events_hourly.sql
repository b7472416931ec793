-- Exact event counts per hour, type and action: the rollup that long windows read instead of
-- `events` (store/MetricsQueries), so that their cost follows the hours in them, not the events.
--
-- A row is written by the sealer (store/HourlyRollup) as uniqExact(event_id) over the hour's rows
-- of `events`, with hour_rows = the hour's row count in events_hour_writes read *before* that
-- count. A reader uses the row only while hour_rows still equals events_hour_writes' count: then
-- nothing was written into the hour since, and the exact count stands. Otherwise the hour is read
-- from `events` (exact with uniqExact), until the sealer counts it again. A re-delivered event can
-- never be counted twice: a copy stored after the count changes the row count, and a copy
-- stored before it is folded by uniqExact.
--
-- Why not an AggregatingMergeTree of uniqExactState(event_id), fed by a view: exact distinct
-- states keep every id, and merging them for a year is as dear as uniqExact over `events` itself
-- (measured at 10M events: 275 ms, growing with the events; see the README's Performance section).
-- Counts that are final per hour can be summed: a year is 8,760 hours x a few (type, action) rows.
--
-- The event type is a string, so that the rollup holds whatever types `events` stores. A later
-- count of an hour replaces the earlier one (ReplacingMergeTree by sealed_at; readers use FINAL).
CREATE TABLE IF NOT EXISTS events_hourly
(
    hour       DateTime('UTC'),
    event_type LowCardinality(String),
    action     LowCardinality(String),
    events     UInt64,
    hour_rows  UInt64,
    sealed_at  DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(sealed_at)
ORDER BY (hour, event_type, action);
