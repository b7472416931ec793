package io.github.eventsstats.watch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Watched repositories: polled one by one, with their whole pull-request history. */
@ConfigMapping(prefix = "watch")
public interface WatchConfig {

    /** WATCH_REPOSITORIES: owner/repo, comma-separated; always watched, whatever the admin API does. */
    Optional<List<String>> repositories();

    /** WATCH_FILE: the watch list (with each repository's poll state), to survive restarts. */
    @WithDefault("${data.dir}/watched-repositories.json")
    Path file();

    /** WATCH_UNAVAILABLE_RETRY: how long a repository GitHub answers 404, 301, 403 or 451 for waits before the next try. */
    @WithDefault("24h")
    java.time.Duration unavailableRetry();

    /** WATCH_PULLS_INTERVAL: how often a loaded pull-request history is asked for again (new, closed and merged PRs). */
    @WithDefault("1h")
    java.time.Duration pullsInterval();

    /**
     * WATCH_PULLS_PAGES_PER_TICK: pages of one repository's pulls list per tick (100 PRs each), so a
     * long first load leaves the other repositories their turn; it goes on at the next tick.
     */
    @WithDefault("10")
    int pullsPagesPerTick();
}
