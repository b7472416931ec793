-- How many rows have expired: 0 almost always, and cheap through the partitions' time ranges.
SELECT count() AS n FROM <table> WHERE <time> < {before:DateTime('UTC')}
