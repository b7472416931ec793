-- The event types each ledger entry stored (backfill_ledger, V004, records files, not types).
--
-- A file loaded with some types is loaded again when a later backfill or sync asks for a type it
-- did not store (the writer's check keeps what is stored already from being stored twice); only a
-- load whose types cover the request is skipped. A ledger entry from before this table has no row
-- here: which types it stored is unknown, so the file is loaded once more when asked for again.
CREATE TABLE IF NOT EXISTS backfill_ledger_types
(
    sha256    FixedString(64),
    file_name String,
    types     String,
    loaded_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = MergeTree
ORDER BY (sha256, loaded_at);
