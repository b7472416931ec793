-- A row expires once the end of its UTC day is {days} old (retention/Retention.expiredBefore, in
-- the engine's words). materialize_ttl_after_modify = 0: the engine would otherwise rewrite every
-- part of the table at once; the job's deletion takes what has expired, and the engine's own TTL
-- merges what expires between two checks.
ALTER TABLE <table>
    MODIFY TTL toStartOfDay(<time>) + INTERVAL 1 DAY + toIntervalDay({days:UInt16})
    SETTINGS materialize_ttl_after_modify = 0
