package io.github.eventsstats.poller;

import io.github.eventsstats.event.TypeSelection;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The Events API poller. */
@ConfigMapping(prefix = "poller")
public interface PollerConfig {

    /** POLLER_ENABLED: false for API-only replicas. */
    @WithDefault("true")
    boolean enabled();

    /** POLLER_EVENT_TYPES: the event types stored (GitHub's names, or * for all); others are only counted. Unset: WatchEvent, PullRequestEvent, IssuesEvent. */
    Optional<List<String>> eventTypes();

    /** POLLER_EVENT_TYPES as a selection; unset: the default types. The archive sync's default too. */
    static TypeSelection storedTypes(Optional<List<String>> names) {
        return TypeSelection.configured("POLLER_EVENT_TYPES", names, TypeSelection.DEFAULTS);
    }

    /** POLLER_STATE_FILE. */
    @WithDefault("${data.dir}/client-state.json")
    Path stateFile();

    /** POLLER_BACKLOG_FILE: events fetched but not yet stored, one JSON row a line. */
    @WithDefault("${data.dir}/ingest-backlog.json")
    Path backlogFile();

    /** POLLER_RATE_LIMIT_RESERVE: requests left untouched; below it the poller sleeps until the reset. */
    @WithDefault("5")
    int rateLimitReserve();

    /** POLLER_MIN_INTERVAL: never poll faster than this, whatever X-Poll-Interval says. */
    @WithDefault("60s")
    Duration minInterval();

    /** POLLER_TICK: how often the job checks whether a poll is due (interval changes apply at once). */
    @WithDefault("1s")
    Duration tick();

    /** POLLER_PER_PAGE: events per page (GitHub's maximum is 100). */
    @WithDefault("100")
    int perPage();

    /** POLLER_MAX_PAGES: the API exposes at most 300 events. */
    @WithDefault("3")
    int maxPages();

    /** POLLER_BACKOFF_INITIAL: first wait after a 5xx, timeout or connection failure. */
    @WithDefault("5s")
    Duration backoffInitial();

    /** POLLER_BACKOFF_MAX: the cap of the exponential backoff. */
    @WithDefault("10m")
    Duration backoffMax();

    /** POLLER_BACKLOG_MAX_EVENTS: events kept while ClickHouse is unreachable; at the bound polling pauses. */
    @WithDefault("100000")
    int backlogMaxEvents();

    /** POLLER_RECENT_IDS: event ids remembered in the state file for the early stop. */
    @WithDefault("2000")
    int recentIds();
}
