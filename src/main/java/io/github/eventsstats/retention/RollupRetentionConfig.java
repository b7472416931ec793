package io.github.eventsstats.retention;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;
import java.util.Optional;

/**
 * How long the hourly rollups and the other tables of one row per hour keep their rows
 * ({@link Retention}). Beside rollup/RollupConfig under the same prefix: the rollup reads the
 * events' horizon from this package, so its own settings cannot hold what this package reads.
 */
@ConfigMapping(prefix = "rollup")
public interface RollupRetentionConfig {

    /**
     * ROLLUP_RETENTION: whole days, at least EVENTS_RETENTION. Unset: kept for ever, so that long
     * windows keep their counts after the events are gone.
     */
    Optional<Duration> retention();
}
