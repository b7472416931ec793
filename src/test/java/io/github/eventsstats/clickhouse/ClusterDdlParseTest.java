package io.github.eventsstats.clickhouse;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real engine's parser accepts every generated cluster statement (it cannot run them: no cluster here). */
@QuarkusTest
class ClusterDdlParseTest {

    @Inject
    ClickHouse clickHouse;

    @Test
    void theEngineParsesTheWholeClusterSchema() {
        ClusterDdl ddl = new ClusterDdl("gh_cluster");
        for (String statement : ddl.translateAll(ClusterDdlTest.schemaStatements())) {
            String formatted = clickHouse.query("SELECT formatQuery({q:String}) AS f", Map.of("q", statement))
                    .getFirst().getString("f");
            assertTrue(formatted.contains("ON CLUSTER gh_cluster") || formatted.startsWith("INSERT INTO"), formatted);
        }
        String db = clickHouse.query("SELECT formatQuery({q:String}) AS f", Map.of("q", ddl.createDatabase("github_stats")))
                .getFirst().getString("f");
        assertTrue(db.contains("ON CLUSTER gh_cluster"), db);
    }
}
