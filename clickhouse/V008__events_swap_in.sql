-- The swap, step 2: V006's table becomes `events`.
RENAME TABLE IF EXISTS events_next TO events;

-- A materialized view stays bound to the table it was created on (the renamed old one), whatever
-- its text says: every view that reads `events` is created again. A row stored between the rename
-- and the view is added by the rebuild below; uniqExact/min/max count it once either way.
DROP VIEW IF EXISTS pr_metrics_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS pr_metrics_mv TO pr_metrics_agg AS
SELECT
    repo_name,
    toStartOfHour(created_at) AS hour,
    uniqExactState(event_id)  AS opened_count,
    min(created_at)           AS first_opened_at,
    max(created_at)           AS last_opened_at
FROM events
WHERE event_type = 'PullRequestEvent' AND action = 'opened'
GROUP BY repo_name, hour;

INSERT INTO pr_metrics_agg
SELECT
    repo_name,
    toStartOfHour(created_at) AS hour,
    uniqExactState(event_id)  AS opened_count,
    min(created_at)           AS first_opened_at,
    max(created_at)           AS last_opened_at
FROM events
WHERE event_type = 'PullRequestEvent' AND action = 'opened' AND ingested_at >= now64(3) - INTERVAL 1 DAY
GROUP BY repo_name, hour;

-- events_hour_writes_mv (V016) reads `events` too. On a database that applied V016 before these
-- files it is bound to the old table, so it is created again here; on a fresh database V016 comes
-- later and finds table and view in place (its fill then counts rows the view counted already:
-- an hour that looks changed is only counted again, never wrongly kept). Same text as V016.
CREATE TABLE IF NOT EXISTS events_hour_writes
(
    hour       DateTime('UTC'),
    rows       SimpleAggregateFunction(sum, UInt64),
    last_write SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY hour;

DROP VIEW IF EXISTS events_hour_writes_mv;

CREATE MATERIALIZED VIEW IF NOT EXISTS events_hour_writes_mv TO events_hour_writes AS
SELECT
    toStartOfHour(created_at)  AS hour,
    count()                    AS rows,
    max(now64(3, 'UTC'))       AS last_write
FROM events
GROUP BY hour;

-- Rows that reached the old table after V006 copied it (another writer on the same server) are
-- copied again, through the view. A re-run copies nothing twice: only ids missing from `events`
-- (GLOBAL: on a cluster both sides are Distributed tables).
INSERT INTO events (event_id, event_type, repo_id, repo_name, actor_id, actor_login, action, created_at, ingested_at)
SELECT event_id, toString(event_type), repo_id, repo_name, actor_id, actor_login, action, created_at, ingested_at
FROM events_enum8
WHERE ingested_at >= now64(3) - INTERVAL 1 DAY
  AND event_id GLOBAL NOT IN (SELECT event_id FROM events WHERE ingested_at >= now64(3) - INTERVAL 1 DAY);
