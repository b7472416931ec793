package io.github.eventsstats.health;

import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.platform.FakeClock;
import io.github.eventsstats.poller.EventsPoller;
import io.github.eventsstats.poller.PollerTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The poller check against a fake GitHub that asks for 1 s while POLLER_MIN_INTERVAL is a minute. */
@QuarkusTest
@TestProfile(PollerHealthCheckTest.SlowMinInterval.class)
class PollerHealthCheckTest {

    private static final Path STATE = Path.of("target/poller-health-test/client-state.json");

    public static class SlowMinInterval extends PollerTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("poller.min-interval", "60s");
            config.put("poller.state-file", STATE.toString());
            return config;
        }
    }

    @Inject
    EventsPoller poller;
    @Inject
    FakeClock clock;

    @Test
    void beforeAnySuccessTheLastSuccessIsJsonNullNotTheWordNull() throws IOException {
        Files.deleteIfExists(STATE);
        poller.reload();

        String body = given().get("/q/health/well").then().extract().asString();

        given().get("/q/health/well").then()
                .body("checks.find { it.name == 'poller' }.data.last_success_at", nullValue());
        assertFalse(body.contains("\"null\""), body);
    }

    @Test
    void aFailedPollsReasonIsInWordsAndTheSameInTheStatusAndTheCheck() throws IOException {
        Files.deleteIfExists(STATE);
        poller.reload();
        FakeGitHub.instance.reset(FakeGitHub.status(502, "{}"));
        poller.tick();

        String reason = given().get("/status/poller").then().statusCode(200)
                .body("last_failure", equalTo("GitHub is failing (HTTP 502)"))
                .body("token", equalTo(true))
                .extract().path("reason");
        assertTrue(reason.matches("GitHub is failing \\(HTTP 502\\) — retrying in \\d+ (s|min)"), reason);
        given().get("/q/health/well").then()
                .body("checks.find { it.name == 'poller' }.data.reason", equalTo(reason))
                .body("checks.find { it.name == 'poller' }.data.last_failure", equalTo("GitHub is failing (HTTP 502)"));
        String body = given().get("/status/poller").then().extract().asString();
        assertFalse(body.contains(FakeGitHub.TOKEN), "the token is never shown");

        FakeGitHub.instance.reset(FakeGitHub.notModified());
        clock.set(poller.state().nextPollAt);
        poller.tick();
        given().get("/status/poller").then().body("last_failure", nullValue()).body("reason", nullValue());
    }

    @Test
    void isNotOverdueWhileTheMinIntervalHoldsPollsBackButIsAfterThreeOfThem() throws IOException {
        Files.deleteIfExists(STATE);
        poller.reload();
        poller.tick(); // a 304 asking for X-Poll-Interval: 1
        // Polls are a minute apart; X-Poll-Interval: 1 alone would call this three intervals late.
        clock.advance(Duration.ofSeconds(4));
        given().get("/q/health/well").then().statusCode(200)
                .body(containsString("\"overdue\": false")).body(containsString("\"interval_seconds\": 60"))
                .body(containsString("\"rate_reserve\": 5")).body(containsString("\"rate_kept_for_firehose\""));
        clock.advance(Duration.ofMinutes(3));
        given().get("/q/health/well").then().statusCode(503).body(containsString("\"overdue\": true"));
    }
}
