-- The rows of the days before {before} (a UTC day's start) have expired. A mutation: the engine
-- rewrites, in the background, only the parts that hold such rows.
ALTER TABLE <table> DELETE WHERE <time> < {before:DateTime('UTC')}
