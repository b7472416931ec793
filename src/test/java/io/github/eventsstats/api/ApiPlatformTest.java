package io.github.eventsstats.api;

import io.github.eventsstats.embedded.EmbeddedClickHouse;
import io.github.eventsstats.embedded.EngineProcess;
import io.github.eventsstats.store.ClickHouse;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every endpoint shares: problem+json errors, OpenAPI, Prometheus timings, health while ClickHouse is down. */
@QuarkusTest
class ApiPlatformTest {

    static final List<String> ENDPOINTS = List.of("/metrics/pr-average/{owner}/{repo}", "/metrics/events",
            "/metrics/visualization", "/metrics/event-avg-time", "/metrics/events-total-count",
            "/metrics/multiple-events-repos", "/metrics/top-repos", "/metrics/user-sessions", "/debug/total-events",
            "/debug/repo-events/{owner}/{repo}");

    @Inject
    EmbeddedClickHouse embedded;
    @Inject
    ClickHouse clickHouse;

    /** RFC 9457 members, the right status, and nothing of the service's insides. */
    private static void assertProblem(Response response, int status, String title, String instance) {
        response.then()
                .statusCode(status)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("about:blank"))
                .body("title", equalTo(title))
                .body("status", equalTo(status))
                .body("instance", equalTo(instance))
                .body("detail", not(containsString("Exception")))
                .body(not(containsString("\tat ")))
                .body(not(containsString("io.github")))
                .body(not(containsString("DB::Exception")));
    }

    @Test
    void unknownRoutesAreProblem404s() {
        for (String path : List.of("/nope", "/metrics", "/metrics/nope", "/metrics/pr-average/owner",
                "/metrics/pr-average/a/b/c", "/debug", "/q/nope")) {
            assertProblem(given().get(path), 404, "Not Found", path);
        }
    }

    @Test
    void wrongMethodsAreProblem405s() {
        assertProblem(given().post("/metrics/events?offset=5"), 405, "Method Not Allowed", "/metrics/events");
        assertProblem(given().delete("/debug/total-events"), 405, "Method Not Allowed", "/debug/total-events");
    }

    @Test
    void badInputIsAProblem400NamingTheParameter() {
        assertProblem(given().get("/metrics/events?offset=0"), 400, "Bad Request", "/metrics/events");
        given().get("/metrics/events?offset=0").then()
                .body("parameter", equalTo("offset"))
                .body("detail", equalTo("offset must be from 1 to 525600; got \"0\""));
    }

    @Test
    void anEmptyQueryParameterIsAbsent() {
        given().get("/metrics/top-repos?days=&limit=").then().statusCode(200)
                .body("days", equalTo(7)).body("limit", equalTo(10));
        given().get("/metrics/visualization?interval=&from=&to=").then().statusCode(200)
                .body("interval", equalTo("hour"));
    }

    @Test
    void openApiDocumentsEveryEndpointAndItsStatusCodes() {
        String doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        JsonPath json = JsonPath.from(doc);
        for (String path : ENDPOINTS) {
            String op = "paths.'" + path + "'.get";
            assertTrue(json.getMap(op + ".responses").keySet().containsAll(List.of("200", "500", "503")), path);
            List<Object> parameters = json.getList(op + ".parameters");
            boolean hasParameters = parameters != null && !parameters.isEmpty();
            assertEquals(hasParameters, json.getMap(op + ".responses").containsKey("400"), path + ": 400 iff parameters");
            assertFalse(json.getString(op + ".summary").isBlank(), path);
        }
        assertTrue(json.getMap("components.schemas").keySet().containsAll(List.of("Problem", "PrAverage",
                "EventCounts", "Visualization", "TopRepos", "UserSessions")));
        assertEquals("integer", json.getString("components.schemas.PrAverage.properties.pr_count.type"));
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    @Test
    void prometheusTimesEachEndpointByItsTemplateNotItsNames() {
        given().get("/metrics/pr-average/prom-owner/prom-repo-secret").then().statusCode(200);
        given().get("/metrics/events?offset=3").then().statusCode(200);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertTrue(metrics.contains("http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\","
                + "status=\"200\",uri=\"/metrics/pr-average/{owner}/{repo}\"}"), metrics);
        assertTrue(metrics.contains("uri=\"/metrics/events\""));
        assertFalse(metrics.contains("prom-repo-secret"), "raw names would make a series per repository");
    }

    @Test
    void anErrorReportedByTheEngineIsA503ThatKeepsItsDetailsInside() {
        clickHouse.execute("RENAME TABLE pr_metrics_agg TO pr_metrics_agg_away");
        try {
            Response response = given().get("/metrics/pr-average/err-org/repo");
            assertProblem(response, 503, "Service Unavailable", "/metrics/pr-average/err-org/repo");
            response.then().body("detail", equalTo("ClickHouse could not answer (error code 60); try again shortly"));
        } finally {
            clickHouse.execute("RENAME TABLE pr_metrics_agg_away TO pr_metrics_agg");
        }
        given().get("/metrics/pr-average/err-org/repo").then().statusCode(200);
    }

    @Test
    void whileTheEngineIsDownLivenessStaysUpAndMetricsAnswer503() throws Exception {
        EngineProcess engine = embedded.engine().orElseThrow();
        long restarts = engine.restartCount();
        given().get("/q/health/ready").then().statusCode(200);
        ProcessHandle process = ProcessHandle.of(engine.pid().orElseThrow()).orElseThrow();

        process.destroyForcibly();
        process.onExit().get(10, TimeUnit.SECONDS);

        // The restart waits at least 500 ms after the death, so the engine is down right now.
        assertProblem(given().get("/metrics/pr-average/down-org/repo"), 503, "Service Unavailable",
                "/metrics/pr-average/down-org/repo");
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> engine.restartCount() != restarts);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/metrics/pr-average/down-org/repo").then().statusCode(200).body("pr_count", equalTo(0));
    }
}
