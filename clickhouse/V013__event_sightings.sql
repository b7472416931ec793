-- Every delivery of a stored-type event, per source, in the UTC hour the event was created:
-- what coverage counts (how many events each source saw, and how many two sources saw alike).
-- The writer records a sighting even when it drops the event as already stored.
--
-- The key is the sighting's whole identity, so a re-delivery (a retried poll, a file loaded twice)
-- folds into one row when parts merge, and coverage counts distinct event ids per source anyway:
-- repeats never inflate a count.
CREATE TABLE IF NOT EXISTS event_sightings
(
    hour     DateTime('UTC'),
    event_id UInt64,
    source   Enum8('firehose' = 1, 'watched' = 2, 'archive' = 3, 'pulls' = 4)
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, event_id, source)
SETTINGS non_replicated_deduplication_window = 10000;

-- How many sighting rows each hour has received: a counter that grows with every insert, so the
-- coverage job recomputes exactly the hours whose number moved since it last looked.
CREATE TABLE IF NOT EXISTS sighting_hours
(
    hour DateTime('UTC'),
    rows UInt64
)
ENGINE = SummingMergeTree
ORDER BY hour;

CREATE MATERIALIZED VIEW IF NOT EXISTS sighting_hours_mv TO sighting_hours AS
SELECT hour, count() AS rows
FROM event_sightings
GROUP BY hour;
