package io.github.eventsstats.api;

import com.clickhouse.client.api.ServerException;
import io.github.eventsstats.archive.SyncTestProfile;
import io.github.eventsstats.clickhouse.ClickHouseEndpoint;
import io.github.eventsstats.embedded.EngineHttp;
import io.github.eventsstats.embedded.HeldQueries;
import jakarta.inject.Inject;
import io.github.eventsstats.event.EventType;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API under more load than the engine takes: its queries wait in a bounded queue and the
 * excess is refused at once, while health probes and the ingest writer use a lane of their own. The queue is
 * {@link SyncTestProfile}'s: two API queries at once (the test profile's two engine connections), two waiting.
 */
@QuarkusTest
@TestProfile(SyncTestProfile.class)
class OverloadTest extends ApiTestBase {

    private final HttpClient http = HttpClient.newHttpClient();
    @Inject
    ClickHouseEndpoint endpoint;

    @TestHTTPResource("/metrics/events?offset=60")
    URI events;

    @Test
    void withTheEngineSaturatedReadinessAndInsertsGoOnAndTheExcessIsRefusedAtOnce() {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        try (HeldQueries held = new HeldQueries().hold(endpoint.target(), 2)) { // every shared connection
            for (int i = 0; i < 10; i++) {
                answers.add(http.sendAsync(HttpRequest.newBuilder(events).build(), HttpResponse.BodyHandlers.ofString()));
            }
            // 2 run (waiting in the engine), 2 wait for them; the other 6 are answered while those are held.
            await().atMost(Duration.ofSeconds(60)).until(() -> answers.stream().filter(CompletableFuture::isDone).count() >= 6);
            List<HttpResponse<String>> refused = answers.stream().filter(CompletableFuture::isDone)
                    .map(CompletableFuture::join).toList();
            assertEquals(6, refused.size());
            for (HttpResponse<String> r : refused) {
                assertEquals(503, r.statusCode(), r.body());
                assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(Problem.MEDIA_TYPE));
                assertTrue(r.body().contains("API_MAX_QUEUED_QUERIES"), r.body());
            }

            given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            String repo = uniqueRepo("overload");
            write(List.of(event(EventType.WATCH, repo, "octocat", "started", Instant.parse("2026-11-30T10:00:00Z"))));
            assertEquals(1, clickHouse.reservedQuery("SELECT count() AS n FROM events WHERE repo_name = {r:String}",
                    Map.of("r", repo)).getFirst().getLong("n"));
            assertEquals(4, answers.stream().filter(a -> !a.isDone()).count(), "the admitted ones wait for the engine");
        }
        assertEquals(List.of(200, 200, 200, 200), answers.stream().map(CompletableFuture::join)
                .map(HttpResponse::statusCode).filter(s -> s != 503).toList());
    }

    @Test
    void apiQueriesCarryTheirTimeoutToTheEngineWhichCancelsThemThere() throws Exception {
        double limit = clickHouse.async(() -> clickHouse.query("SELECT toFloat64(getSetting('max_execution_time')) AS t",
                Map.of()).getFirst().getDouble("t")).await().atMost(Duration.ofSeconds(60));
        assertTrue(limit > 50 && limit <= 60, "max_execution_time " + limit);

        // What the engine does with it: stops the query and takes its next one on that connection.
        HttpResponse<String> cancelled = http.send(EngineHttp.request(endpoint.target(), "/?max_execution_time=0.5").POST(HttpRequest.BodyPublishers.ofString(
                        "SELECT sleepEachRow(0.1) FROM numbers(600) SETTINGS max_block_size = 1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(500, cancelled.statusCode());
        assertEquals("159", cancelled.headers().firstValue("X-ClickHouse-Exception-Code").orElse(""), cancelled.body());
        assertEquals(0, clickHouse.query("SELECT count() AS n FROM system.processes WHERE query LIKE '%sleepEachRow(0.1)%'"
                + " AND query NOT LIKE '%system.processes%'", Map.of()).getFirst().getLong("n"));
        ServerException e = assertThrows(ServerException.class, () -> clickHouse.query(
                "SELECT sleepEachRow(0.1) FROM numbers(600) SETTINGS max_block_size = 1, max_execution_time = 0.5", Map.of()));
        assertEquals(159, e.getCode());
    }
}
