package io.github.eventsstats.embedded;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

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
}
