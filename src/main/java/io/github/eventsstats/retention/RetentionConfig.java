package io.github.eventsstats.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How often expired data is deleted ({@link RetentionJob}). */
@ConfigMapping(prefix = "retention")
public interface RetentionConfig {

    /**
     * RETENTION_CHECK_INTERVAL: how often the service looks for expired rows and raw files and
     * deletes them; what has expired is gone within this. The first check runs at start-up.
     */
    @WithDefault("1h")
    Duration checkInterval();
}
