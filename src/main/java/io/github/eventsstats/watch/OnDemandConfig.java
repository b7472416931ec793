package io.github.eventsstats.watch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Repositories loaded because someone asked about them, and kept fresh while people ask. */
@ConfigMapping(prefix = "on-demand")
public interface OnDemandConfig {

    /** ON_DEMAND_ENABLED: an answer about a repository whose history is not loaded queues it for loading. */
    @WithDefault("true")
    boolean enabled();

    /** ON_DEMAND_IDLE: a repository loaded on demand and not asked about for this long is no longer refreshed. */
    @WithDefault("7d")
    Duration idle();

    /** ON_DEMAND_MAX_REPOSITORIES: on-demand repositories kept fresh at most; the least recently asked stops first. */
    @WithDefault("1000")
    int maxRepositories();

    /**
     * ON_DEMAND_MAX_QUEUED: on-demand repositories waiting for or in their first load at most;
     * past it an answer says not_queued, so made-up names cannot spend the rate budget.
     */
    @WithDefault("100")
    int maxQueued();
}
