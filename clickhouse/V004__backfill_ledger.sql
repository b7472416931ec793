-- One row per file the backfill loaded (GH Archive hours, the poller's raw archive files).
--
-- A file whose sha256 has a row here is skipped by later runs; a file whose content changed has a
-- new hash and is loaded again (the writer drops the events already stored, so nothing doubles).
-- A row is written only after every event of the file is stored: a run that dies halfway leaves
-- no row, and the next run loads the file again, storing only what is missing.
-- status: 'complete' (every line loaded) or 'partial' (bad lines or a truncated gzip were
-- skipped; the rest is stored, and the same bytes would load no better).
CREATE TABLE IF NOT EXISTS backfill_ledger
(
    file_name      String,
    file_size      UInt64,
    sha256         FixedString(64),
    rows_read      UInt64,
    rows_kept      UInt64,
    rows_stored    UInt64,
    rows_duplicate UInt64,
    rows_bad       UInt64,
    status         Enum8('complete' = 1, 'partial' = 2),
    loaded_at      DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY (sha256, loaded_at);
