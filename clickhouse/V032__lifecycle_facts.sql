-- Each pull request's and issue's facts, its first response included, kept at write time
-- (docs/design/lifecycle.md): an answer reads one row per item of its window, and no comments.
--
-- lifecycle_facts_source: the facts as lifecycle_items and lifecycle_comments hold them now, one
-- row per item (a comment on a number without an item row yet has none). The latest item row
-- wins, its fields as one tuple (argMax would skip the NULL close of a reopened item). The first
-- response is the earliest comment by someone who is neither a bot nor the item's author as the
-- latest row names it. version: when this was read, so a later recompute replaces an earlier one.
-- Its only text: HistoryStore recomputes the items a page of items or comments touched through
-- it, this file fills the facts of the histories loaded before it, bench/ fills generated ones.
CREATE VIEW IF NOT EXISTS lifecycle_facts_source AS
SELECT
    i.repo_name AS repo_name,
    i.number AS number,
    i.latest.1 AS kind,
    i.latest.2 AS created_at,
    i.latest.3 AS closed_at,
    i.latest.4 AS merged_at,
    i.latest.6 AS author_bot,
    arrayMap(x -> x.1, arrayFilter(x -> x.2 != i.latest.5, c.commenters)) AS answers,
    if(empty(answers), NULL, arrayMin(answers)) AS responded_at,
    toUnixTimestamp64Nano(now64(9)) AS version
FROM
(
    SELECT repo_name, number,
           argMax((kind, created_at, closed_at, merged_at, author_login, author_bot), updated_at) AS latest
    FROM lifecycle_items
    GROUP BY repo_name, number
) AS i
LEFT JOIN
(
    SELECT repo_name, number, groupArray((created_at, author_login)) AS commenters
    FROM lifecycle_comments
    WHERE author_bot = 0
    GROUP BY repo_name, number
) AS c USING (repo_name, number);

-- lifecycle_facts: sorted so that a repository's items of one kind created in a window are one
-- range of the primary key. A recompute is a row with a later version; readers take the latest
-- per number until parts merge. created_at and kind of a number never change on GitHub, so an
-- item's rows share their sorting key and replace each other.
CREATE TABLE IF NOT EXISTS lifecycle_facts
(
    repo_name    String,
    kind         Enum8('pull' = 1, 'issue' = 2),
    number       UInt32,
    created_at   DateTime('UTC'),
    closed_at    Nullable(DateTime('UTC')),
    merged_at    Nullable(DateTime('UTC')),
    author_bot   UInt8,
    responded_at Nullable(DateTime('UTC')),
    version      UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (repo_name, kind, created_at, number)
SETTINGS index_granularity = 1024;

-- The histories loaded before this file. Run again after a failure halfway, it only adds rows
-- that replace the same facts.
INSERT INTO lifecycle_facts (repo_name, kind, number, created_at, closed_at, merged_at, author_bot, responded_at, version)
SELECT repo_name, kind, number, created_at, closed_at, merged_at, author_bot, responded_at, version
FROM lifecycle_facts_source;
