package io.github.eventsstats.clickhouse;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** How to reach ClickHouse. Without a URL the service runs the embedded engine. */
@ConfigMapping(prefix = "clickhouse")
public interface ClickHouseConfig {

    /** CLICKHOUSE_URL, e.g. http://clickhouse:8123; unset means the embedded engine. */
    Optional<String> url();

    /** CLICKHOUSE_USER. */
    @WithDefault("default")
    String user();

    /** CLICKHOUSE_PASSWORD. */
    @WithDefault("")
    Optional<String> password();

    /** CLICKHOUSE_DATABASE. */
    @WithDefault("github_stats")
    String database();

    /**
     * CLICKHOUSE_CLUSTER: the cluster (from the server's remote_servers) to create the schema on:
     * replicated tables under Distributed ones. Unset: one server.
     */
    Optional<String> cluster();

    /** CLICKHOUSE_SOCKET_TIMEOUT: how long one query may take before the client gives up. */
    @WithDefault("30s")
    Duration socketTimeout();

    Embedded embedded();

    interface Embedded {
        /** CLICKHOUSE_EMBEDDED_PORT: the embedded engine's HTTP port on 127.0.0.1; 0 picks a free one. */
        @WithDefault("0")
        int port();

        /**
         * CLICKHOUSE_EMBEDDED_CONNECTIONS: engine connections, each running one query at a time;
         * unset: one per core. Queries on different connections run in parallel.
         */
        Optional<Integer> connections();

        /** How many connections the engine opens: {@link #connections()}, or one per core. */
        default int connectionCount() {
            return connections().orElse(Runtime.getRuntime().availableProcessors());
        }

        /** CLICKHOUSE_EMBEDDED_START_TIMEOUT. */
        @WithDefault("60s")
        Duration startTimeout();

        /**
         * CLICKHOUSE_EMBEDDED_ATTACH: use the engine a running service or `engine` command serves
         * DATA_DIR with, instead of starting one (which that engine's lock would refuse). The
         * backfill command turns it on.
         */
        @WithDefault("false")
        boolean attach();
    }
}
