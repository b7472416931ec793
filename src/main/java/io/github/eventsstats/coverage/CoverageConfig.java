package io.github.eventsstats.coverage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Coverage of the answers. */
@ConfigMapping(prefix = "coverage")
public interface CoverageConfig {

    /**
     * COVERAGE_REFRESH_INTERVAL: how often the per-hour coverage is computed from new sightings and
     * reloaded for the answers (a Quarkus scheduler period such as 60s; off: never on a schedule).
     */
    @WithDefault("60s")
    String refreshInterval();
}
