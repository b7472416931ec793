-- Each successful poll of GET /events (a 304 included) with the interval the poller then kept:
-- where two successes are further apart than twice that interval, the poller was not polling,
-- and GET /metrics/coverage shows the gap. A retried insert of the same poll folds by its key.
CREATE TABLE IF NOT EXISTS poller_polls
(
    polled_at        DateTime64(3, 'UTC'),
    interval_seconds UInt32
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(polled_at)
ORDER BY polled_at;
