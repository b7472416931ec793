package io.github.eventsstats.health;

import io.github.eventsstats.clickhouse.ApiQueryConfig;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.clickhouse.ClickHouseConfig;
import io.github.eventsstats.clickhouse.ClickHouseEndpoint;
import io.github.eventsstats.clickhouse.ClickHouseUnavailableException;
import io.github.eventsstats.clickhouse.SchemaConfig;
import io.github.eventsstats.clickhouse.SchemaMigrator;
import io.github.eventsstats.embedded.ChdbConfig;
import io.github.eventsstats.embedded.EmbeddedClickHouse;
import io.github.eventsstats.platform.DataConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A readiness probe must not be what starts the embedded engine. */
class ClickHouseReadinessCheckTest {

    @Test
    void aProbeBeforeAnyUseOfClickHouseConnectsToNothingAndStartsNoEngine(@TempDir Path dir) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of(
                        "data.dir", dir.toString(),
                        "chdb.library", dir.resolve("no-such-libchdb.so").toString(),
                        "chdb.cache-dir", dir.toString()), "test", 100))
                .addDefaultInterceptors()
                .withConverter(Duration.class, 200, new DurationConverter()) // "30s", as Quarkus reads it
                .withMapping(ClickHouseConfig.class)
                .withMapping(ApiQueryConfig.class)
                .withMapping(SchemaConfig.class)
                .withMapping(ChdbConfig.class)
                .withMapping(DataConfig.class)
                .build();
        ClickHouseConfig clickHouseConfig = config.getConfigMapping(ClickHouseConfig.class);
        EmbeddedClickHouse embedded = new EmbeddedClickHouse(clickHouseConfig, config.getConfigMapping(ChdbConfig.class),
                config.getConfigMapping(DataConfig.class));
        ClickHouseEndpoint produced = embedded.clickHouseEndpoint();
        AtomicInteger asked = new AtomicInteger();
        ClickHouseEndpoint recorded = new ClickHouseEndpoint() {
            @Override
            public Target target() {
                asked.incrementAndGet();
                return produced.target();
            }

            @Override
            public boolean embedded() {
                return produced.embedded();
            }
        };
        ClickHouse clickHouse = new ClickHouse(clickHouseConfig, recorded,
                config.getConfigMapping(ApiQueryConfig.class));
        SchemaMigrator migrator = new SchemaMigrator(clickHouse, clickHouseConfig, config.getConfigMapping(SchemaConfig.class));
        ClickHouseReadinessCheck check = new ClickHouseReadinessCheck(clickHouse, migrator, embedded);

        HealthCheckResponse response = check.call();

        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        Map<String, Object> data = response.getData().orElseThrow();
        assertEquals(false, data.get("connected"));
        assertEquals(false, data.get("reachable"));
        assertEquals("embedded", data.get("engine"));
        assertEquals(0, asked.get(), "the probe asked for the endpoint, which starts the engine");
        assertTrue(embedded.engine().isEmpty());
        assertFalse(Files.exists(dir.resolve("clickhouse")));

        // The first real use asks; an engine that cannot start is final, and says why.
        ClickHouseUnavailableException e = assertThrows(ClickHouseUnavailableException.class,
                () -> clickHouse.execute("SELECT 1"));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("libchdb.so not found"), e.getMessage());
        assertEquals(1, asked.get());
    }
}
