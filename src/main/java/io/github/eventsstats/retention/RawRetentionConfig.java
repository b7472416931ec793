package io.github.eventsstats.retention;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;
import java.util.Optional;

/** How long SAVE_EVENTS_TO_FILES' hour files are kept. */
@ConfigMapping(prefix = "raw")
public interface RawRetentionConfig {

    /**
     * RAW_RETENTION: a file of DATA_DIR/raw is deleted once its whole hour is older than this
     * (never the file of the current hour). Unset: kept for ever.
     */
    Optional<Duration> retention();
}
