package io.github.eventsstats.cli;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
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
        assertEquals(List.of("--library", "/opt/chdb/libchdb.so", "--path", "/srv/stats/clickhouse", "--port", "0",
                        "--connections", "3"), List.of(EngineCommand.engineArguments(config, null)));
        assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()),
                EngineCommand.engineArguments(config(Map.of()), null)[7], "one connection per core by default");
        assertEquals("8125", EngineCommand.engineArguments(config(Map.of("CLICKHOUSE_EMBEDDED_PORT", "8125")), null)[5]);
        assertEquals("9000", EngineCommand.engineArguments(config(Map.of("CLICKHOUSE_EMBEDDED_PORT", "8125")), 9000)[5]);
    }

}
