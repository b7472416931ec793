package io.github.eventsstats.embedded;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine process's arguments: written from its options, read back by its parser. */
class EngineMainTest {

    @Test
    void theProcessReadsBackTheOptionsItWasStartedWith() {
        for (boolean watch : new boolean[] {true, false}) {
            EngineMain.Options options = new EngineMain.Options(Path.of("/opt/chdb/lib chdb.so"),
                    Path.of("-srv/stats=clickhouse"), 8123, 3, "default", watch);
            assertEquals(options, EngineMain.parse(options.arguments().toArray(String[]::new)));
        }
    }

    @Test
    void missingOrBadArgumentsAreRefused() {
        ParameterException missing = assertThrows(ParameterException.class,
                () -> EngineMain.parse("--library", "l.so", "--path", "d", "--port", "0"));
        assertTrue(missing.getMessage().contains("--connections"), missing.getMessage());
        assertThrows(ParameterException.class, () -> EngineMain.parse("--library", "l.so", "--path", "d", "--port",
                "x", "--connections", "1", "--user", "default"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> EngineMain.parse(
                "--library", "l.so", "--path", "d", "--port", "0", "--connections", "0", "--user", "u"));
        assertEquals("the engine's connections must be at least 1; got 0", none.getMessage());
    }
}
