-- Enrichment (enrich/): the GitHub profiles of actors (GET /users/{login}) and repositories
-- (GET /repos/{owner}/{repo}) seen in `events`, one row per check. checked_at is when GitHub was
-- last asked (a 304 copies the row with a new checked_at), fetched_at when the data came (the
-- last 200); the newest check wins. status: 'ok' (the profile), 'not_found' (404/410: deleted),
-- 'moved' (a renamed or transferred repository), 'unavailable' (403 that is not a rate limit,
-- 451); every row but 'ok' has empty data. etag is GitHub's, for the conditional refresh.
CREATE TABLE IF NOT EXISTS actor_profiles
(
    login        String,
    status       LowCardinality(String),
    etag         String,
    fetched_at   DateTime64(3, 'UTC'),
    checked_at   DateTime64(3, 'UTC'),
    actor_id     UInt64,
    name         String,
    company      String,
    location     String,
    country_code LowCardinality(String),
    blog         String,
    followers    UInt32,
    public_repos UInt32,
    created_at   Nullable(DateTime('UTC'))
)
ENGINE = ReplacingMergeTree(checked_at)
ORDER BY login;

CREATE TABLE IF NOT EXISTS repo_profiles
(
    repo_name    String,
    status       LowCardinality(String),
    etag         String,
    fetched_at   DateTime64(3, 'UTC'),
    checked_at   DateTime64(3, 'UTC'),
    repo_id      UInt64,
    description  String,
    language     LowCardinality(String),
    topics       Array(String),
    stars        UInt32,
    forks        UInt32,
    license      LowCardinality(String),
    created_at   Nullable(DateTime('UTC')),
    archived     UInt8
)
ENGINE = ReplacingMergeTree(checked_at)
ORDER BY repo_name;
