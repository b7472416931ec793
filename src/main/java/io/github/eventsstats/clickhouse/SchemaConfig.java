package io.github.eventsstats.clickhouse;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** When the schema is applied. */
@ConfigMapping(prefix = "schema")
public interface SchemaConfig {

    /**
     * SCHEMA_MIGRATE_AT_START: apply the schema files at start-up. Off for commands (the backfill)
     * that migrate when they need to and report failures themselves.
     */
    @WithDefault("true")
    boolean migrateAtStart();
}
