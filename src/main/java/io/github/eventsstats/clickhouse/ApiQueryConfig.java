package io.github.eventsstats.clickhouse;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * How the API's queries share ClickHouse ({@link ClickHouse#async}): how many run at once, how many
 * may wait for them, how long one may take. Health probes and the ingest writer are not counted.
 */
@ConfigMapping(prefix = "api")
public interface ApiQueryConfig {

    /**
     * API_MAX_RUNNING_QUERIES: API queries at ClickHouse at once. Unset: the embedded engine's
     * connections (CLICKHOUSE_EMBEDDED_CONNECTIONS), or 8 with a ClickHouse server.
     */
    Optional<Integer> maxRunningQueries();

    /** API_MAX_QUEUED_QUERIES: API queries that may wait for a running one; past it the API answers 503 at once. */
    @WithDefault("64")
    int maxQueuedQueries();

    /**
     * API_QUERY_TIMEOUT: the longest an API query may wait plus run. ClickHouse cancels it then
     * (max_execution_time), which frees its connection; the API answers 503.
     */
    @WithDefault("10s")
    Duration queryTimeout();
}
