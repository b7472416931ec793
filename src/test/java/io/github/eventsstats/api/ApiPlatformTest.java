package io.github.eventsstats.api;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.embedded.EmbeddedClickHouse;
import io.github.eventsstats.embedded.EngineProcess;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every endpoint shares: problem+json errors, OpenAPI, Prometheus timings, health while ClickHouse is down. */
@QuarkusTest
class ApiPlatformTest {

    static final List<String> ENDPOINTS = List.of("/metrics/pr-average/{owner}/{repo}", "/metrics/events",
            "/metrics/visualization", "/metrics/event-avg-time", "/metrics/events-total-count",
            "/metrics/multiple-events-repos", "/metrics/top-repos", "/metrics/user-sessions", "/debug/total-events",
            "/debug/repo-events/{owner}/{repo}", "/metrics/pull-requests/{owner}/{repo}", "/metrics/issues/{owner}/{repo}",
            "/metrics/compare", "/repositories/{owner}/{repo}");

    @Inject
    EmbeddedClickHouse embedded;
    @Inject
    ClickHouse clickHouse;

    /** RFC 9457 members, the right status, and nothing of the service's insides. */
    static void assertProblem(Response response, int status, String title, String instance) {
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
    void a405SaysInAllowWhichMethodsThePathAnswers() {
        given().post("/metrics/events?offset=5").then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS");
        given().delete("/metrics/pr-average/o/r").then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS");
        // Two paths of one resource class, each with its own methods.
        given().post("/watch").then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS");
        given().post("/watch/o/r").then().statusCode(405).contentType(Problem.MEDIA_TYPE)
                .header("Allow", "DELETE, OPTIONS, PUT");
    }

    @Test
    void badInputIsAProblem400NamingTheParameter() {
        assertProblem(given().get("/metrics/events?offset=0"), 400, "Bad Request", "/metrics/events");
        given().get("/metrics/events?offset=0").then()
                .body("parameter", equalTo("offset"))
                .body("detail", equalTo("offset must be from 1 to 525600; got \"0\""));
    }

    @Test
    void aBrokenValidationRuleIsWordedLikeEveryOtherBadParameter() {
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("/metrics/events", new String[] {"offset", "offset is required"});
        cases.put("/metrics/events?offset=", new String[] {"offset", "offset is required"});
        cases.put("/metrics/events?offset=abc",
                new String[] {"offset", "offset must be a whole number from 1 to 525600; got \"abc\""});
        cases.put("/metrics/events?offset=99999999999999999999",
                new String[] {"offset", "offset must be a whole number from 1 to 525600; got \"99999999999999999999\""});
        cases.put("/metrics/events?offset=525601", new String[] {"offset", "offset must be from 1 to 525600; got \"525601\""});
        cases.put("/metrics/top-repos?days=366&limit=0", new String[] {"days", "days must be from 1 to 365; got \"366\""});
        cases.put("/metrics/top-repos?days=1&limit=0", new String[] {"limit", "limit must be from 1 to 1000; got \"0\""});
        cases.put("/metrics/multiple-events-repos?min_count=1", new String[] {"event_type", "event_type is required"});
        cases.put("/metrics/pr-average/-x/repo", new String[] {"owner",
                "owner must be 1 to 39 ASCII letters, digits or hyphens, not starting with a hyphen; got \"-x\""});
        cases.put("/debug/repo-events/x/a*b", new String[] {"repo",
                "repo must be 1 to 100 ASCII letters, digits, '.', '_' or '-' (not '.' or '..'); got \"a*b\""});
        cases.put("/metrics/events-total-count?action=Opened", new String[] {"action",
                "action must be 1 to 32 lower-case letters or '_', e.g. opened; got \"Opened\""});
        cases.put("/metrics/user-sessions?actor_login=" + "a".repeat(70), new String[] {"actor_login",
                "actor_login must be 1 to 39 ASCII letters, digits or hyphens, not starting with a hyphen; got \""
                        + "a".repeat(60) + "…\""});
        cases.forEach((path, expected) -> {
            String instance = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            Response response = given().get(path);
            assertProblem(response, 400, "Bad Request", instance);
            response.then().body("parameter", equalTo(expected[0])).body("detail", equalTo(expected[1]));
        });
    }

    @Test
    void anEmptyQueryParameterIsAbsent() {
        given().get("/metrics/top-repos?days=&limit=").then().statusCode(200)
                .body("days", equalTo(7)).body("limit", equalTo(10));
        given().get("/metrics/visualization?interval=&from=&to=").then().statusCode(200)
                .body("interval", equalTo("hour"));
    }

    @Test
    void openApiTakesTheBoundsAndPatternsFromTheValidationAnnotations() {
        JsonPath json = JsonPath.from(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());

        Map<String, Object> offset = parameter(json, "/metrics/events", "offset");
        assertEquals(true, offset.get("required"));
        assertEquals(Map.of("type", "integer", "minimum", 1, "maximum", 525600), offset.get("schema"));
        assertEquals(Map.of("type", "integer", "minimum", 1, "maximum", 365, "default", 7),
                parameter(json, "/metrics/top-repos", "days").get("schema"));
        assertEquals(Map.of("type", "integer", "minimum", 0, "maximum", 1_000_000_000, "default", 1),
                parameter(json, "/metrics/multiple-events-repos", "min_count").get("schema"));
        assertEquals(true, parameter(json, "/metrics/multiple-events-repos", "event_type").get("required"));
        assertEquals(Map.of("type", "string", "pattern", Params.OWNER),
                parameter(json, "/metrics/pr-average/{owner}/{repo}", "owner").get("schema"));
        assertEquals(Map.of("type", "string", "pattern", Params.REPO),
                parameter(json, "/debug/repo-events/{owner}/{repo}", "repo").get("schema"));
        assertEquals(Map.of("type", "string", "pattern", Params.ACTION),
                parameter(json, "/metrics/event-avg-time", "action").get("schema"));
    }

    private static Map<String, Object> parameter(JsonPath json, String path, String name) {
        List<Map<String, Object>> parameters = json.getList("paths.'" + path + "'.get.parameters");
        return parameters.stream().filter(p -> name.equals(p.get("name"))).findFirst().orElseThrow();
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

    /** The properties of the schema a path's 200 answer refers to. */
    private static Map<String, Object> answerProperties(JsonPath json, String path) {
        String ref = json.getString("paths.'" + path + "'.get.responses.'200'.content.'application/json'.schema.$ref");
        return json.getMap("components.schemas.'" + ref.substring(ref.lastIndexOf('/') + 1) + "'.properties");
    }

    @Test
    void openApiDocumentsTheLifecycleFieldsAndTheHistoryOfEveryRepositoryAnswer() {
        JsonPath json = JsonPath.from(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        List<String> completeness = List.of("complete", "complete_since", "history");
        assertTrue(answerProperties(json, "/metrics/pull-requests/{owner}/{repo}").keySet().containsAll(
                concat(completeness, List.of("opened", "merged", "closed_unmerged", "open", "merge_rate",
                        "time_to_merge_seconds", "time_to_close_seconds", "time_to_first_response_seconds", "unanswered",
                        "by_week", "bots_excluded", "include_bots", "days"))));
        assertTrue(answerProperties(json, "/metrics/issues/{owner}/{repo}").keySet().containsAll(
                concat(completeness, List.of("opened", "closed", "open", "time_to_close_seconds",
                        "time_to_first_response_seconds", "unanswered", "by_week", "bots_excluded"))));
        assertTrue(answerProperties(json, "/metrics/compare").containsKey("repositories"));
        assertTrue(answerProperties(json, "/metrics/pr-average/{owner}/{repo}").keySet().containsAll(completeness));
        assertTrue(answerProperties(json, "/repositories/{owner}/{repo}").containsKey("history"));
        assertTrue(answerProperties(json, "/watch").containsKey("repositories"));
        assertTrue(json.getMap("components.schemas.WatchState.properties").keySet()
                .containsAll(List.of("on_demand", "last_asked_at", "history", "source")));
        assertEquals(List.of("queued", "loading", "loaded", "not_found", "moved", "forbidden", "blocked", "not_queued"),
                json.getList("components.schemas.History.properties.state.enum"));
        assertTrue(json.getMap("components.schemas.History.properties").keySet()
                .containsAll(List.of("state", "pages_loaded", "queued_at", "last_sync_at")));
        for (String path : List.of("/metrics/pull-requests/{owner}/{repo}", "/metrics/issues/{owner}/{repo}",
                "/metrics/compare")) {
            assertTrue(parameter(json, path, "include_bots").get("description").toString().contains("bot"), path);
            assertEquals(Map.of("type", "integer", "minimum", 1, "maximum", 365, "default", 90),
                    parameter(json, path, "days").get("schema"), path);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
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
    void answersCarrySecurityHeadersAndSwaggerUiStillWorks() {
        for (String path : List.of("/", "/dashboard.js", "/metrics/events?offset=1", "/no-such-page")) {
            given().get(path).then().header("X-Content-Type-Options", "nosniff")
                    .header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        }
        given().get("/q/swagger-ui/").then().statusCode(200).header("Content-Security-Policy", nullValue());
    }

    @Test
    void aParameterGivenTwiceIsAProblemNamingItNotASilentChoice() {
        given().queryParam("offset", 1, 99_999_999).get("/metrics/events").then().statusCode(400)
                .contentType("application/problem+json").body("parameter", equalTo("offset"))
                .body("detail", equalTo("offset is given more than once; give it once"));
        given().urlEncodingEnabled(false).get("/metrics/top-repos?days=1&limit=5&d%61ys=2").then().statusCode(400)
                .body("parameter", equalTo("days"));
        given().get("/metrics/events?offset=&offset=5").then().statusCode(200).body("offset_minutes", equalTo(5));
    }

    @Test
    void requestsToNoRouteShareOneUriTagSoRealEndpointsStayMeasured() {
        for (int i = 0; i < 10; i++) {
            given().post("/no-such-path-" + i + "/x").then().statusCode(anyOf(equalTo(404), equalTo(405)));
            given().get("/metrics/no-such-metric-" + i).then().statusCode(404);
            given().post("/metrics/pr-average/no-such-owner-" + i + "/r").then().statusCode(405);
            given().delete("/actors/no-such-actor-" + i).then().statusCode(405);
            given().put("/watch/no-such-owner-" + i + "/r").then().statusCode(anyOf(equalTo(401), equalTo(404), equalTo(405)));
            given().post("/q/health/no-such-" + i).then().statusCode(anyOf(equalTo(404), equalTo(405)));
            given().post("/no-such-page-" + i + ".html").then().statusCode(anyOf(equalTo(404), equalTo(405)));
            given().get("/metrics/pr-average/no-such-owner-" + i).then().statusCode(404);
        }
        given().post("/metrics/events?offset=1").then().statusCode(405);
        given().get("/metrics/events?offset=4").then().statusCode(200);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertFalse(metrics.contains("no-such-"), "a series per unknown path would exhaust the tag budget");
        assertTrue(metrics.contains("uri=\"UNMATCHED\""), metrics);
        assertTrue(metrics.contains("status=\"200\",uri=\"/metrics/events\""), "real endpoints are still measured");
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
