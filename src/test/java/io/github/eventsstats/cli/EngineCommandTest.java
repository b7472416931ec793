package io.github.eventsstats.cli;

import io.github.eventsstats.embedded.EngineMain;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EngineCommandTest {

    /** The service's settings, with {@code env} as environment variables above everything else. */
    private static SmallRyeConfig config(Map<String, String> env) {
        return ConfigBootstrap.builder(EngineCommand.MAPPINGS).withSources(new EnvConfigSource(env, 500)).build();
    }

    @Test
    void theEngineTakesTheServicesDataLibraryAndPortUnlessGivenAPort() {
        SmallRyeConfig config = config(Map.of("DATA_DIR", "/srv/stats", "CHDB_LIBRARY", "/opt/chdb/libchdb.so",
                "CLICKHOUSE_EMBEDDED_CONNECTIONS", "3"));
        assertEquals(new EngineMain.Options(Path.of("/opt/chdb/libchdb.so"), Path.of("/srv/stats/clickhouse"), 0, 3,
                "default", false), EngineCommand.engineOptions(config, null));
        assertEquals("reader", EngineCommand.engineOptions(config(Map.of("CLICKHOUSE_USER", "reader")), null).user());
        assertEquals(Runtime.getRuntime().availableProcessors(),
                EngineCommand.engineOptions(config(Map.of()), null).connections(), "one connection per core by default");
        assertEquals(8125, EngineCommand.engineOptions(config(Map.of("CLICKHOUSE_EMBEDDED_PORT", "8125")), null).port());
        assertEquals(9000, EngineCommand.engineOptions(config(Map.of("CLICKHOUSE_EMBEDDED_PORT", "8125")), 9000).port());
    }

}
