-- The old table goes (V006-V008 moved its rows), and push events get a table of their own.
DROP TABLE IF EXISTS events_enum8;

-- One row per push, keyed by push_id: a push delivered twice (the poller and GH Archive, or a
-- re-delivery under another event id) folds into one row when parts merge; read it with FINAL.
-- `size` is NULL for pushes since October 2025, whose payloads no longer carry it.
CREATE TABLE IF NOT EXISTS push_events
(
    push_id     UInt64,
    repo_id     UInt64,
    repo_name   String,
    actor_id    UInt64,
    actor_login String,
    ref         String,
    head        String,
    before      String,
    size        Nullable(UInt32),
    created_at  DateTime('UTC'),
    event_id    UInt64
)
ENGINE = ReplacingMergeTree
ORDER BY push_id;

CREATE MATERIALIZED VIEW IF NOT EXISTS push_events_mv TO push_events AS
SELECT push_id, repo_id, repo_name, actor_id, actor_login, ref, head, before, size, created_at, event_id
FROM events
WHERE event_type = 'PushEvent' AND push_id != 0;

INSERT INTO push_events
SELECT push_id, repo_id, repo_name, actor_id, actor_login, ref, head, before, size, created_at, event_id
FROM events
WHERE event_type = 'PushEvent' AND push_id != 0;
