-- GH Archive hours whose file held lines the sync could not read as events (longer than
-- ARCHIVE_SYNC_MAX_LINE, not UTF-8, not JSON): one row per read of such a file. The hour's
-- readable events are stored, but the hour gets no ledger row, so it does not count as synced.
-- The sync reads it again a day after its latest row, up to three reads in all, then leaves it.
-- (V031, not V030: another branch of this release numbers its migration V030.)
CREATE TABLE IF NOT EXISTS archive_unreadable
(
    hour       DateTime('UTC'),
    checked_at DateTime64(3, 'UTC'),
    sha256     FixedString(64),
    reason     String
)
ENGINE = MergeTree
ORDER BY (hour, checked_at);
