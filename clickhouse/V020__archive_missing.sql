-- Hours GH Archive answered 404 for when they were more than 48 hours old: missing at the source.
-- The sync asks again for an hour whose latest check is more than a day old; once it loads, the
-- backfill ledger has it and these rows only tell that it was late.
CREATE TABLE IF NOT EXISTS archive_missing
(
    hour       DateTime('UTC'),
    checked_at DateTime64(3, 'UTC')
)
ENGINE = MergeTree
ORDER BY (hour, checked_at);
