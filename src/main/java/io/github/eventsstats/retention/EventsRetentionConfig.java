package io.github.eventsstats.retention;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;
import java.util.Optional;

/** How long `events` and the tables of one row per event keep their rows ({@link Retention}). */
@ConfigMapping(prefix = "events")
public interface EventsRetentionConfig {

    /**
     * EVENTS_RETENTION: whole days, such as 30d. A UTC day's events are deleted once the whole day
     * is older than this. Unset: kept for ever.
     */
    Optional<Duration> retention();
}
