package io.github.eventsstats.enrich;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Enrichment of the actors and repositories seen in stored events with their GitHub profiles. */
@ConfigMapping(prefix = "enrich")
public interface EnrichConfig {

    /** ENRICH_ENABLED: unset, on with a GITHUB_TOKEN and off without (60 requests/h leave nothing for it). */
    Optional<Boolean> enabled();

    /** ENRICH_TTL: a profile checked longer ago than this is asked again (conditionally: a 304 is free). */
    @WithDefault("24h")
    Duration ttl();

    /** ENRICH_INTERVAL: how often the enricher looks for actors and repositories to fetch. */
    @WithDefault("60s")
    Duration interval();

    /** ENRICH_BATCH: at most this many actors and this many repositories per run. */
    @WithDefault("50")
    int batch();

    /** ENRICH_LOOKBACK: only actors and repositories with events created this recently are enriched. */
    @WithDefault("24h")
    Duration lookback();

    /** ENRICH_FAILURE_RETRY: an entry whose request failed (5xx, timeout, bad body) waits this long. */
    @WithDefault("1h")
    Duration failureRetry();

    /** Whether enrichment runs: ENRICH_ENABLED, or else whether there is a token. */
    default boolean on(Optional<String> token) {
        return enabled().orElseGet(() -> token.filter(t -> !t.isBlank()).isPresent());
    }
}
