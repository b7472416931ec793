-- The pull requests of watched repositories, as GET /repos/{owner}/{repo}/pulls lists them
-- (watch/PullsSync). A pull request is its repository and number: a later fetch of the same PR
-- (closed or merged since) replaces the earlier one (the newest fetched_at wins at merge time).
CREATE TABLE IF NOT EXISTS pull_requests
(
    repo_name  String,
    number     UInt32,
    created_at DateTime('UTC'),
    closed_at  Nullable(DateTime('UTC')),
    merged_at  Nullable(DateTime('UTC')),
    state      LowCardinality(String),
    fetched_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(fetched_at)
ORDER BY (repo_name, number);

-- pr_metrics_agg again, counting opened PRs by their identity (repository and number) instead of
-- by event id, so that one PR seen as a PullRequestEvent (poller, watched repository, archive) and
-- in the pulls list counts once. The repository is the table's key, so the state holds the number.
-- Rows stored before V006 have number 0 (their payloads were not kept): they count by event id
-- with the top bit set, which no number (UInt32) has and no event id (< 2^63) loses, so the two
-- kinds of key never meet. Such an old PR fetched again by the pulls list counts twice; nothing
-- stored says which number it had.
--
-- The aggregate's type stays, its content changes, so it is rebuilt as V005 does: views down,
-- table anew, views up, then filled from both sources. A row inserted meanwhile reaches the table
-- through a view, the fill, or both, and uniqExact/min/max count it once either way. Re-running
-- this file (a start-up that died halfway) rebuilds again, with the same result.
DROP VIEW IF EXISTS pr_metrics_mv;

DROP VIEW IF EXISTS pr_metrics_pulls_mv;

DROP TABLE IF EXISTS pr_metrics_agg;

CREATE TABLE IF NOT EXISTS pr_metrics_agg
(
    repo_name       String,
    hour            DateTime('UTC'),
    opened_count    AggregateFunction(uniqExact, UInt64),
    first_opened_at SimpleAggregateFunction(min, DateTime('UTC')),
    last_opened_at  SimpleAggregateFunction(max, DateTime('UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY (repo_name, hour);

CREATE MATERIALIZED VIEW IF NOT EXISTS pr_metrics_mv TO pr_metrics_agg AS
SELECT
    repo_name,
    toStartOfHour(created_at) AS hour,
    uniqExactState(if(number = 0, bitOr(event_id, bitShiftLeft(toUInt64(1), 63)), toUInt64(number))) AS opened_count,
    min(created_at)           AS first_opened_at,
    max(created_at)           AS last_opened_at
FROM events
WHERE event_type = 'PullRequestEvent' AND action = 'opened'
GROUP BY repo_name, hour;

CREATE MATERIALIZED VIEW IF NOT EXISTS pr_metrics_pulls_mv TO pr_metrics_agg AS
SELECT
    repo_name,
    toStartOfHour(created_at)        AS hour,
    uniqExactState(toUInt64(number)) AS opened_count,
    min(created_at)                  AS first_opened_at,
    max(created_at)                  AS last_opened_at
FROM pull_requests
GROUP BY repo_name, hour;

INSERT INTO pr_metrics_agg
SELECT
    repo_name,
    toStartOfHour(created_at) AS hour,
    uniqExactState(if(number = 0, bitOr(event_id, bitShiftLeft(toUInt64(1), 63)), toUInt64(number))) AS opened_count,
    min(created_at)           AS first_opened_at,
    max(created_at)           AS last_opened_at
FROM events
WHERE event_type = 'PullRequestEvent' AND action = 'opened'
GROUP BY repo_name, hour;

INSERT INTO pr_metrics_agg
SELECT
    repo_name,
    toStartOfHour(created_at)        AS hour,
    uniqExactState(toUInt64(number)) AS opened_count,
    min(created_at)                  AS first_opened_at,
    max(created_at)                  AS last_opened_at
FROM pull_requests
GROUP BY repo_name, hour;
