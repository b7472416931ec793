-- The pull-request and issue lifecycle (docs/design/lifecycle.md): a repository's pull requests
-- and issues, and the comments on them, as its REST lists give them (watch/HistorySync).
--
-- lifecycle_items: one row per pull request or issue (they share a repository's numbers, so the
-- number alone names it). A later sync of the same item (closed, merged, commented since) is a
-- row with a later updated_at, which replaces the earlier at merge time; readers fold the rows
-- not merged yet with argMax(..., updated_at). author_bot: the author's type is Bot or the login
-- ends in [bot].
CREATE TABLE IF NOT EXISTS lifecycle_items
(
    repo_name    String,
    number       UInt32,
    kind         Enum8('pull' = 1, 'issue' = 2),
    created_at   DateTime('UTC'),
    updated_at   DateTime('UTC'),
    closed_at    Nullable(DateTime('UTC')),
    merged_at    Nullable(DateTime('UTC')),
    author_login String,
    author_bot   UInt8,
    fetched_at   DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (repo_name, number);

-- lifecycle_comments: issue comments (GET /repos/{o}/{r}/issues/comments, on issues and PRs
-- alike) and pull-request review comments (GET /repos/{o}/{r}/pulls/comments), by the item they
-- are on. An edited comment is fetched again and folds into one row; only its creation counts.
CREATE TABLE IF NOT EXISTS lifecycle_comments
(
    repo_name    String,
    number       UInt32,
    kind         Enum8('issue_comment' = 1, 'review_comment' = 2),
    comment_id   UInt64,
    created_at   DateTime('UTC'),
    author_login String,
    author_bot   UInt8,
    fetched_at   DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(fetched_at)
ORDER BY (repo_name, number, kind, comment_id);
