-- `events` with any event type, and the payload fields users query, as `events_next`; V007 and
-- V008 swap it in, V009 drops the old table.
--
-- event_type becomes LowCardinality(String): GitHub adds types, and an Enum8 needed a migration
-- for each. ClickHouse cannot change the type of a sorting-key column in place, so the table is
-- built anew and the rows copied. The sorting key, the `by_time` projection and the settings are
-- those of V001 (see there for why).
--
-- Payload columns, filled by the type that has them (0 or '' elsewhere; rows stored before this
-- file have them empty, as their payloads were not kept):
--   number         PullRequest*, Issues, IssueComment, Discussion: the PR, issue or discussion number
--   merged         PullRequestEvent: 1 for a merge (action `merged`; before October 2025 `closed`
--                  with pull_request.merged: true, stored as action `merged` too)
--   push_id, head, before, size
--                  PushEvent (size is NULL where the payload has none, as since October 2025)
--   ref            PushEvent (refs/heads/main), Create/DeleteEvent (the short name, main)
--   ref_type, full_ref
--                  Create/DeleteEvent (branch, tag or repository; refs/heads/main)
--   tag_name       ReleaseEvent
--   forkee_id, forkee_name
--                  ForkEvent: the new repository
--   comment_id     IssueComment, CommitComment, PullRequestReviewComment: the comment
--   review_state   PullRequestReviewEvent: approved, changes_requested, commented, ...
--   member_login   MemberEvent: the collaborator added
--
-- Safe to re-run from any point (a start-up that died halfway): the old table is only read.
DROP TABLE IF EXISTS events_next;

CREATE TABLE IF NOT EXISTS events_next
(
    event_id     UInt64,
    event_type   LowCardinality(String),
    repo_id      UInt64,
    repo_name    String,
    actor_id     UInt64,
    actor_login  String,
    action       LowCardinality(String),
    created_at   DateTime('UTC'),
    ingested_at  DateTime64(3, 'UTC') DEFAULT now64(3),
    number       UInt32 DEFAULT 0,
    merged       UInt8 DEFAULT 0,
    push_id      UInt64 DEFAULT 0,
    ref          String DEFAULT '',
    head         String DEFAULT '',
    before       String DEFAULT '',
    size         Nullable(UInt32) DEFAULT NULL,
    ref_type     LowCardinality(String) DEFAULT '',
    full_ref     String DEFAULT '',
    tag_name     String DEFAULT '',
    forkee_id    UInt64 DEFAULT 0,
    forkee_name  String DEFAULT '',
    comment_id   UInt64 DEFAULT 0,
    review_state LowCardinality(String) DEFAULT '',
    member_login String DEFAULT '',
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
    deduplicate_merge_projection_mode = 'rebuild',
    non_replicated_deduplication_window = 10000;

INSERT INTO events_next (event_id, event_type, repo_id, repo_name, actor_id, actor_login, action, created_at, ingested_at)
SELECT event_id, toString(event_type), repo_id, repo_name, actor_id, actor_login, action, created_at, ingested_at
FROM events;
