package io.github.eventsstats.embedded;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.dashboard.DashboardTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@TestProfile(DashboardTestProfile.class)
class EngineLifecycleIT {

    @Inject
    EmbeddedClickHouse embedded;
    @Inject
    ClickHouse clickHouse;

    @Test
    void aKilledEngineIsRestartedWithItsDataAndReadinessFollows() throws Exception {
        clickHouse.execute("CREATE TABLE IF NOT EXISTS lifecycle_test (v UInt8) ENGINE = MergeTree ORDER BY v");
        clickHouse.execute("TRUNCATE TABLE lifecycle_test");
        clickHouse.execute("INSERT INTO lifecycle_test VALUES (42)");
        EngineProcess engine = embedded.engine().orElseThrow();
        long pid = engine.pid().orElseThrow();
        long restarts = engine.restartCount();

        given().get("/q/health/ready").then().statusCode(200); // warm: the check below must be quick

        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        process.destroyForcibly();
        process.onExit().get(10, TimeUnit.SECONDS);

        // The restart waits at least 500 ms, so the engine is down right now.
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        await().atMost(Duration.ofSeconds(30)).until(() -> engine.restartCount() != restarts);
        assertEquals(restarts + 1, engine.restartCount());
        assertNotEquals(pid, engine.pid().orElseThrow());
        assertTrue(engine.isAlive());
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        assertEquals(42, clickHouse.query("SELECT v FROM lifecycle_test", Map.of()).getFirst().getInteger("v"));
    }
}
