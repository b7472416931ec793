-- The retention was unset: keep every row again.
ALTER TABLE <table> REMOVE TTL
