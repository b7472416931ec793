-- The pulls lists as a coverage source: each PR a watched repository's pulls list returned is a
-- sighting of source `pulls` in the hour the PR was opened.
--
-- A PR from the list has no event id, so its sighting is keyed by the PR itself (repository and
-- number, hashed, with the top bit set so that it can never equal an event id), and coverage
-- (coverage/CoverageStore) keys an opened PullRequestEvent's sightings the same way: a PR the
-- firehose saw opened and the pulls list returned counts once, as seen by both.
CREATE MATERIALIZED VIEW IF NOT EXISTS pull_sightings_mv TO event_sightings AS
SELECT
    toStartOfHour(created_at)                                          AS hour,
    bitOr(cityHash64(repo_name, number), toUInt64(9223372036854775808)) AS event_id,
    'pulls'                                                            AS source
FROM pull_requests;

-- The PRs stored before this view: a sighting again if this file runs twice, which folds.
INSERT INTO event_sightings (hour, event_id, source)
SELECT toStartOfHour(created_at), bitOr(cityHash64(repo_name, number), toUInt64(9223372036854775808)), 'pulls'
FROM pull_requests;
