package io.github.eventsstats.health;

import io.github.eventsstats.ingest.PollerTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** The poller check against a fake GitHub that asks for 1 s while POLLER_MIN_INTERVAL is a minute. */
@QuarkusTest
@TestProfile(PollerHealthCheckTest.SlowMinInterval.class)
class PollerHealthCheckTest {

    public static class SlowMinInterval extends PollerTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("poller.min-interval", "60s");
            config.put("poller.state-file", "target/poller-health-test/client-state.json");
            return config;
        }
    }

    @Test
    void isNotOverdueWhileTheMinIntervalHoldsPollsBack() throws InterruptedException {
        // Polls are a minute apart; X-Poll-Interval: 1 alone would call this three intervals late.
        Thread.sleep(4000);
        given().get("/q/health/well").then().statusCode(200)
                .body(containsString("\"overdue\": false")).body(containsString("\"interval_seconds\": 60"));
    }
}
