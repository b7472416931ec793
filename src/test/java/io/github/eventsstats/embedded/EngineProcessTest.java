package io.github.eventsstats.embedded;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineProcessTest {

    @Test
    void aLockedDataDirectoryIsReportedWithWhatToDo() {
        Path data = Path.of("data/clickhouse");
        for (String tail : new String[] {
                "Code: 76. DB::Exception: Cannot lock file data/clickhouse/status. Another server instance in same directory is already running.",
                "Cannot lock file /x/status"}) {
            String message = EngineProcess.startFailure(tail, data);
            assertTrue(message.startsWith("the embedded engine's data directory data/clickhouse is in use by another"
                    + " process"), message);
            assertTrue(message.contains("stop it and try again, or point CLICKHOUSE_URL at a ClickHouse server"), message);
        }
    }

    @Test
    void otherFailuresKeepTheEnginesLastLines() {
        assertEquals("the embedded engine did not start: engine: boom | more",
                EngineProcess.startFailure("engine: boom | more", Path.of("d")));
    }

    @Test
    void restartsBackOffExponentiallyUpToThirtySeconds() {
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L),
                IntStream.rangeClosed(1, 8).mapToObj(f -> EngineProcess.backoff(f).toMillis()).toList());
        assertEquals(Duration.ofSeconds(30), EngineProcess.backoff(1000));
    }

    @Test
    void theEnginesClassPathIsTheFewJarsItRuns() {
        List<String> entries = List.of(EngineProcess.classPath().split(File.pathSeparator));
        assertTrue(entries.size() <= EngineProcess.ENGINE_CLASSES.size(), entries.toString());
        assertTrue(entries.stream().allMatch(e -> Files.exists(Path.of(e))), entries.toString());
        assertTrue(entries.stream().anyMatch(e -> e.contains("picocli")), entries.toString());
        assertTrue(entries.stream().anyMatch(e -> e.contains("lz4-java")), entries.toString());
        assertTrue(entries.stream().anyMatch(e -> e.contains("client-v2")), entries.toString());
    }
}
