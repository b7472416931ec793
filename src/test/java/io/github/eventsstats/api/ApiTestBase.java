package io.github.eventsstats.api;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.event.EventType;
import io.github.eventsstats.ingest.EventStore;
import io.github.eventsstats.ingest.EventWriter;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Builds events for the API tests and writes them the ways the service can meet them. */
abstract class ApiTestBase {

    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() * 1000);

    @Inject
    EventWriter writer;
    @Inject
    EventStore store;
    @Inject
    ClickHouse clickHouse;

    static long uniqueId() {
        return IDS.incrementAndGet();
    }

    /** A repository name no other test uses. */
    static String uniqueRepo(String owner) {
        return owner + "/repo-" + uniqueId();
    }

    static EventRow event(String type, String repo, String actor, String action, Instant at) {
        return new EventRow(uniqueId(), type, repo.hashCode() & 0xffff, repo, actor.hashCode() & 0xffff, actor, action, at);
    }

    static EventRow pr(String repo, String action, Instant at) {
        return event(EventType.PULL_REQUEST, repo, "octocat", action, at);
    }

    void write(List<EventRow> rows) {
        assertEquals(rows.size(), writer.write(rows, EventSource.FIREHOSE).stored());
    }

    /**
     * Stores the same events again both ways a copy can arrive: through the writer (which must drop
     * them all) and straight into the table under another dedup token, as a second writer process
     * racing the first would. Merges are stopped so the copies stay in their own parts.
     */
    void reinsertDuplicates(List<EventRow> rows) {
        clickHouse.execute("SYSTEM STOP MERGES events");
        assertEquals(0, writer.write(rows, EventSource.FIREHOSE).stored());
        store.insert(rows, "race-" + uniqueId());
    }

    @AfterEach
    void startMerges() {
        clickHouse.execute("SYSTEM START MERGES events");
    }

    /** For the tests of whole-table answers: they own `events` while they run. */
    void truncateEvents() {
        clickHouse.execute("TRUNCATE TABLE events");
        // and the hourly rollups, which would otherwise hold counts of the rows just gone
        clickHouse.execute("TRUNCATE TABLE events_hour_writes");
        clickHouse.execute("TRUNCATE TABLE events_hourly");
        for (String table : List.of("repo_hourly", "repo_hourly_detail", "repo_hour_top", "repo_hours_sealed")) {
            clickHouse.execute("TRUNCATE TABLE " + table);
        }
    }

    long storedRows() {
        return clickHouse.query("SELECT count() AS n FROM events", Map.of()).getFirst().getLong("n");
    }

    static JsonPath getOk(String path, Object... params) {
        return ok(given().get(path, params));
    }

    /** The 200 JSON body, with decimals as doubles (JsonPath's default is float). */
    static JsonPath ok(Response response) {
        return response.then().statusCode(200).contentType("application/json").extract().jsonPath()
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    /** A 400 problem+json that names the parameter at fault. */
    static void assertBadParameter(Response response, String parameter) {
        response.then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("about:blank"))
                .body("title", equalTo("Bad Request"))
                .body("status", equalTo(400))
                .body("parameter", equalTo(parameter))
                .body("detail", startsWith(parameter + " "));
    }
}
