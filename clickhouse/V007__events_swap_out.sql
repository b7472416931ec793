-- The swap of V006's table, step 1: the old `events` steps aside (kept until V009).
--
-- One rename per file: a file that died after its rename runs again as a no-op (IF EXISTS), and
-- V008 cannot run before this one is recorded, so `events` here is always the old table.
-- Materialized views follow a source table by name: after V008 they read the new `events`.
RENAME TABLE IF EXISTS events TO events_enum8;
