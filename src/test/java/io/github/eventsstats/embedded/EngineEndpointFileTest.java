package io.github.eventsstats.embedded;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a second process (the backfill) finds the engine that serves a data directory. */
@QuarkusTest
class EngineEndpointFileTest {

    @Inject
    ClickHouse clickHouse;

    @TempDir
    Path dir;

    @Test
    void theRunningEngineAdvertisesItsEndpointInItsDataDirectory() {
        assertEquals(Optional.of(clickHouse.endpoint()), EngineEndpointFile.live(Path.of("target/test-data/clickhouse")));
    }

    @Test
    void aFileLeftByADeadEngineOrAnotherServiceIsIgnored() throws Exception {
        assertEquals(Optional.empty(), EngineEndpointFile.live(dir));
        long port = Long.parseLong(clickHouse.endpoint().replaceAll(".*:", ""));
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.writeString(dir.resolve(EngineEndpointFile.NAME), dead.pid() + " " + port + "\n");
        assertEquals(Optional.empty(), EngineEndpointFile.live(dir), "the process is gone");
        Files.writeString(dir.resolve(EngineEndpointFile.NAME), ProcessHandle.current().pid() + " 1\n");
        assertEquals(Optional.empty(), EngineEndpointFile.live(dir), "nothing answers on the port");
        Files.writeString(dir.resolve(EngineEndpointFile.NAME), "garbage");
        assertEquals(Optional.empty(), EngineEndpointFile.live(dir));
    }
}
