-- Opened pull requests per repository and hour, fed by a materialized view from `events`.
-- A repository's average time between opened PRs is (last - first) / (count - 1) over its rows.
--
-- The count is uniqExact over event ids, and first/last are min/max: all three are unchanged when
-- the same event reaches the view twice (a re-delivery that raced past the writer's check), so
-- this table can never double-count, whatever `events` holds before its parts merge.
CREATE TABLE IF NOT EXISTS pr_metrics_agg
(
    repo_name       String,
    hour            DateTime('UTC'),
    opened_count    AggregateFunction(uniqExact, UInt64),
    first_opened_at SimpleAggregateFunction(min, DateTime('UTC')),
    last_opened_at  SimpleAggregateFunction(max, DateTime('UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(hour)
ORDER BY (repo_name, hour);

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
