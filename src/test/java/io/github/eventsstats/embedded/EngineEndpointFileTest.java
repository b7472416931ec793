package io.github.eventsstats.embedded;

import io.github.eventsstats.clickhouse.ClickHouseEndpoint;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a second process (the backfill) finds the engine that serves a data directory, and its password. */
@QuarkusTest
class EngineEndpointFileTest {

    private static final Path ENGINE_DATA = Path.of("target/test-data/clickhouse");

    @Inject
    ClickHouseEndpoint endpoint;

    @TempDir
    Path dir;

    @Test
    void theRunningEngineAdvertisesItsEndpointAndPasswordToItsOwnerOnly() throws Exception {
        ClickHouseEndpoint.Target engine = endpoint.target();
        assertEquals(Optional.of(engine), EngineEndpointFile.live(ENGINE_DATA));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(ENGINE_DATA.resolve(EngineEndpointFile.NAME))));
    }

    @Test
    void aFileWrittenForAnotherRunIsOwnerOnlyFromItsFirstByte() throws Exception {
        EngineEndpointFile.write(dir, 1, "default", "secret");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve(EngineEndpointFile.NAME))));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left beside it");
        }
    }

    @Test
    void aFileLeftByADeadEngineOrAnotherServiceIsIgnored() throws Exception {
        assertEquals(Optional.empty(), EngineEndpointFile.live(dir));
        int port = Integer.parseInt(endpoint.target().url().replaceAll(".*:", ""));
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        EngineEndpointFile.write(dir, port, "default", "x");
        Files.writeString(dir.resolve(EngineEndpointFile.NAME), Files.readString(dir.resolve(EngineEndpointFile.NAME))
                .replaceAll("pid=\\d+", "pid=" + dead.pid()));
        assertEquals(Optional.empty(), EngineEndpointFile.live(dir), "the process is gone");
        EngineEndpointFile.write(dir, 1, "default", "x");
        assertEquals(Optional.empty(), EngineEndpointFile.live(dir), "nothing answers on the port");
        Files.writeString(dir.resolve(EngineEndpointFile.NAME), ProcessHandle.current().pid() + " " + port + "\n");
        assertEquals(Optional.empty(), EngineEndpointFile.live(dir), "an older build's file, without the password");
        Files.writeString(dir.resolve(EngineEndpointFile.NAME), "garbage");
        assertEquals(Optional.empty(), EngineEndpointFile.live(dir));
    }
}
