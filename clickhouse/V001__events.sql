-- One row per stored GitHub event (WatchEvent, PullRequestEvent, IssuesEvent).
--
-- Sorting key (repo_name, event_type, action, created_at, event_id):
--   * "one repository's opened pull requests" is a prefix range on
--     (repo_name, event_type, action), so it reads only that repository's granules;
--   * the key holds the whole identity of an event, so the ReplacingMergeTree engine folds a
--     re-delivered event into one row when parts merge. The writer already drops events that are
--     stored (by id, before inserting), so this is the second line of defence, for writers in
--     different processes that race on the same event.
-- Counts by type over the last N minutes across all repositories cannot use that key, so the
-- `by_time` projection keeps (created_at, event_type, event_id) sorted by time: a window of N
-- minutes reads N minutes of rows. The writer's "is this id stored?" check reads it too.
-- Monthly partitions keep parts few and let old months be dropped or moved whole.
CREATE TABLE IF NOT EXISTS events
(
    event_id    UInt64,
    event_type  Enum8('WatchEvent' = 1, 'PullRequestEvent' = 2, 'IssuesEvent' = 3),
    repo_id     UInt64,
    repo_name   String,
    actor_id    UInt64,
    actor_login String,
    action      LowCardinality(String),
    created_at  DateTime('UTC'),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
    PROJECTION by_time
    (
        SELECT created_at, event_type, event_id
        ORDER BY created_at
    )
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(created_at)
ORDER BY (repo_name, event_type, action, created_at, event_id)
SETTINGS
    -- projections on a Replacing table must say what a merge does to them
    deduplicate_merge_projection_mode = 'rebuild',
    -- a retried insert with the same insert_deduplication_token is dropped
    non_replicated_deduplication_window = 10000;
