package io.github.eventsstats.rollup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The hourly rollups that long windows read (events_hourly, and repo_hourly for top-repos). */
@ConfigMapping(prefix = "rollup")
public interface RollupConfig {

    /** ROLLUP_COUNT_INTERVAL: how often changed hours are counted again (the first run waits this long too). */
    @WithDefault("30s")
    Duration countInterval();

    /** ROLLUP_QUIET: an hour written to less than this long ago is counted on a later run. */
    @WithDefault("60s")
    Duration quiet();
}
