-- Coverage per UTC hour, computed from event_sightings by the coverage job (coverage/): distinct
-- events each source saw, distinct events any source saw, and for every pair of sources the
-- events both saw (a source's "also seen by" the other). One small row per hour, so every answer
-- can say what it rests on without reading `events` or the sightings.
--
-- covered_rows is the hour's sighting_hours count the row was computed from: a larger count there
-- means new sightings, and the hour is computed again; the newest computation replaces the row.
CREATE TABLE IF NOT EXISTS coverage_hourly
(
    hour             DateTime('UTC'),
    firehose         UInt64,
    watched          UInt64,
    archive          UInt64,
    pulls            UInt64,
    any_source       UInt64,
    firehose_watched UInt64,
    firehose_archive UInt64,
    firehose_pulls   UInt64,
    watched_archive  UInt64,
    watched_pulls    UInt64,
    archive_pulls    UInt64,
    covered_rows     UInt64
)
ENGINE = ReplacingMergeTree(covered_rows)
ORDER BY hour;
