package io.github.eventsstats.cli;

import io.github.eventsstats.embedded.EngineMain;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void theEnginesPasswordIsClickHousePasswordOrOneItMakesAndSaysOnceHowToUse() {
        assertEquals("s3cret", EngineCommand.configuredPassword(config(Map.of("CLICKHOUSE_PASSWORD", "s3cret"))));
        assertNull(EngineCommand.configuredPassword(config(Map.of())));
        assertNull(EngineCommand.configuredPassword(config(Map.of("CLICKHOUSE_PASSWORD", ""))), "empty is no password");

        Path file = Path.of("/srv/stats/clickhouse/engine.endpoint");
        StringWriter out = new StringWriter();
        EngineCommand.printMadePassword(new PrintWriter(out), "default", "made-pw", 8123, file, true);
        String said = out.toString();
        assertTrue(said.contains("curl -u 'default:made-pw' 'http://127.0.0.1:8123/"), said);
        assertTrue(said.contains("CLICKHOUSE_PASSWORD=made-pw"), said);
        // Not a terminal (a service manager's output, which ends in a log): where it is, not what it is.
        StringWriter logged = new StringWriter();
        EngineCommand.printMadePassword(new PrintWriter(logged), "default", "made-pw", 8123, file, false);
        assertFalse(logged.toString().contains("made-pw"), logged.toString());
        assertTrue(logged.toString().contains(file.toString()), logged.toString());
        assertTrue(said.contains("Set CLICKHOUSE_PASSWORD"), said);
    }
}
