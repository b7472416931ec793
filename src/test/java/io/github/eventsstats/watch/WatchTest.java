package io.github.eventsstats.watch;

import io.github.eventsstats.github.FakeGitHub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Watched repositories against a fake GitHub serving generated repositories, storing into the
 * embedded engine, on a fake clock: the tests tick the firehose and the watch poller themselves.
 */
@QuarkusTest
@TestProfile(WatchTestProfile.class)
class WatchTest extends WatchTestBase {

    @Test
    void theAdminApiAddsListsAndRemovesAndTheListSurvivesARestart() {
        String repo = unique("adm-org");
        given().put("/watch/" + repo).then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + WatchTestProfile.ADMIN).put("/watch/" + repo).then()
                .statusCode(201).body("repository", equalTo(repo)).body("status", equalTo("pending"))
                .body("complete", equalTo(false)).body("source", equalTo("api"));
        given().header("Authorization", "Bearer " + WatchTestProfile.ADMIN).put("/watch/" + repo.toUpperCase())
                .then().statusCode(200).body("repository", equalTo(repo));
        given().header("Authorization", "Bearer " + WatchTestProfile.ADMIN).put("/watch/-bad/name")
                .then().statusCode(400).body("parameter", equalTo("owner"));

        list.reload(); // a restart reads the file again
        given().get("/watch").then().statusCode(200)
                .body("repositories.repository", hasItem(repo))
                .body("repositories.find { it.repository == '" + WatchTestProfile.CONFIGURED + "' }.source", equalTo("config"));

        given().delete("/watch/" + repo).then().statusCode(401);
        given().header("Authorization", "Bearer " + WatchTestProfile.ADMIN).delete("/watch/" + repo).then().statusCode(204);
        given().header("Authorization", "Bearer " + WatchTestProfile.ADMIN).delete("/watch/" + repo).then()
                .statusCode(404).contentType("application/problem+json");
        given().header("Authorization", "Bearer " + WatchTestProfile.ADMIN).delete("/watch/" + WatchTestProfile.CONFIGURED)
                .then().statusCode(409).body("detail", org.hamcrest.Matchers.containsString("WATCH_REPOSITORIES"));
        given().get("/watch").then().body("repositories.repository", not(hasItem(repo)));
    }

    @Test
    void aWatchedRepositorysEventsAreStoredOnceThoughTheFirehoseSawSomeOfThemToo() throws IOException {
        GeneratedRepo repo = generated(unique("ev-org"), 120);
        serve(repo);
        fake.route("/events", r -> FakeGitHub.ok(repo.sample(pr -> pr.number() % 3 == 0)));
        Files.delete(DIR.resolve("client-state.json"));
        firehose.reload();
        firehose.tick();
        assertEquals(40, rows(repo.name), "the firehose's sample");

        watch(repo.name);
        watch.tick();
        assertEquals(120, rows(repo.name), "every event once");
        assertEquals(120, distinct(repo.name));
        assertEquals(120, clickHouse.query("SELECT uniqExact(event_id) AS c FROM event_sightings WHERE source = 'watched'"
                        + " AND event_id BETWEEN {a:UInt64} AND {b:UInt64}",
                Map.of("a", repo.prs.getFirst().eventId(), "b", repo.prs.getLast().eventId())).getFirst().getLong("c"),
                "each event seen as the watched repository's");
        List<FakeGitHub.Request> polls = requestsTo("/repos/" + repo.name + "/events");
        assertEquals(2, polls.size(), "two pages of 100: " + polls);
        given().get("/watch").then().body("repositories.find { it.repository == '" + repo.name + "' }.status",
                equalTo("active"));

        WatchedRepository w = list.get(repo.name).orElseThrow();
        clock.set(w.events.nextPollAt);
        watch.tick();
        polls = requestsTo("/repos/" + repo.name + "/events");
        assertEquals(3, polls.size());
        assertEquals("\"ev-120-100\"", polls.get(2).ifNoneMatch(), "the ETag of the last full poll");
        assertEquals(120, rows(repo.name));
    }

    private long sightings(GeneratedRepo repo, String source) {
        return clickHouse.query("SELECT uniqExact(event_id) AS c FROM event_sightings WHERE source = {s:String}"
                        + " AND event_id BETWEEN {a:UInt64} AND {b:UInt64}",
                Map.of("s", source, "a", repo.prs.getFirst().eventId(), "b", repo.prs.getLast().eventId()))
                .getFirst().getLong("c");
    }

    @Test
    void rowsThatWaitedInTheBacklogAreStoredAsTheSourceThatFetchedThem() throws IOException {
        GeneratedRepo repo = generated(unique("bl-org"), 60);
        serve(repo);
        fake.route("/events", r -> FakeGitHub.ok(repo.sample(pr -> pr.number() % 3 == 0)));
        watch(repo.name);
        clickHouse.execute("RENAME TABLE events TO events_backlogged");
        try {
            watch.tick();
            Files.delete(DIR.resolve("client-state.json"));
            firehose.reload(); // keeps the backlog the watched poll left: it reads the spool
            firehose.tick();
            assertEquals(60 + 20, firehose.backlogSize(), "both polls' rows wait");
        } finally {
            clickHouse.execute("RENAME TABLE events_backlogged TO events");
        }
        clock.advance(Duration.ofMinutes(10)); // past the flush's backoff
        firehose.tick();

        assertEquals(0, firehose.backlogSize());
        assertEquals(60, rows(repo.name));
        assertEquals(60, distinct(repo.name));
        assertEquals(60, sightings(repo, "watched"), "the watched repository's rows are its own sightings");
        assertEquals(20, sightings(repo, "firehose"), "the firehose saw only its sample");
    }

    @Test
    void unavailableRepositoriesGetAClearStateAndAreNotRetriedInALoop() {
        String gone = unique("gone-org");
        String moved = unique("moved-org");
        String forbidden = unique("forbid-org");
        String blocked = unique("legal-org");
        fake.route("/repos/" + gone + "/", r -> FakeGitHub.status(404, "{\"message\":\"Not Found\"}"));
        fake.route("/repos/" + moved + "/", r -> FakeGitHub.status(301,
                "{\"message\":\"Moved Permanently\",\"url\":\"https://api.github.com/repositories/42/events\"}")
                .header("Location", "https://api.github.com/repositories/42/events"));
        fake.route("/repos/" + forbidden + "/", r -> FakeGitHub.status(403, "{\"message\":\"Repository access blocked\"}"));
        fake.route("/repos/" + blocked + "/", r -> FakeGitHub.status(451, "{\"message\":\"Repository access blocked\"}"));
        for (String r : List.of(gone, moved, forbidden, blocked)) {
            watch(r);
        }
        watch.tick();
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofMinutes(1));
            watch.tick();
        }
        for (String r : List.of(gone, moved, forbidden, blocked)) {
            assertEquals(1, requestsTo("/repos/" + r + "/").size(), r + " asked again within 30 min");
        }
        String find = "repositories.find { it.repository == '%s' }.";
        given().get("/watch").then().statusCode(200)
                .body(find.formatted(gone) + "status", equalTo("not_found"))
                .body(find.formatted(moved) + "status", equalTo("moved"))
                .body(find.formatted(moved) + "last_error", org.hamcrest.Matchers.containsString("repositories/42"))
                .body(find.formatted(forbidden) + "status", equalTo("forbidden"))
                .body(find.formatted(blocked) + "status", equalTo("blocked"))
                .body(find.formatted(blocked) + "complete", equalTo(false));

        clock.advance(Duration.ofHours(24));
        fake.route("/repos/" + gone + "/", r -> FakeGitHub.ok("[]"));
        watch.tick();
        assertEquals(2, requestsTo("/repos/" + gone + "/events").size(), "tried again a day later");
        given().get("/watch").then().body(find.formatted(gone) + "status", equalTo("active"))
                .body(find.formatted(gone) + "last_error", equalTo(null));
    }

    @Test
    void theBudgetIsNeverExceededAndWatchedRepositoriesComeBeforeTheFirehose() throws IOException {
        Instant reset = clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        fake.rateLimit(40, reset);
        List<GeneratedRepo> repos = List.of(generated(unique("b1-org"), 250), generated(unique("b2-org"), 250),
                generated(unique("b3-org"), 250), generated(unique("b4-org"), 250), generated(unique("b5-org"), 250));
        repos.forEach(this::serve);
        repos.forEach(r -> watch(r.name));
        GeneratedRepo feed = repos.getFirst();
        // The firehose is asked to come back every 10 min: 6 polls of up to 3 pages until the reset.
        fake.route("/events", r -> FakeGitHub.ok(feed.sample(pr -> pr.number() % 7 == 0)).header("X-Poll-Interval", "600"));
        Files.delete(DIR.resolve("client-state.json"));
        firehose.reload();
        Instant end = reset.minusSeconds(1);
        while (clock.instant().isBefore(end)) {
            firehose.tick();
            watch.tick();
            clock.advance(Duration.ofSeconds(20));
        }
        assertEquals(0, fake.overLimit(), "a request past the limit");
        assertTrue(fake.spent() <= 40 - 5, "the reserve was spent: " + fake.spent());
        // Five loads of about nine requests each want more than the 35 above the reserve: the
        // firehose had its first poll, before the watch poller's first tick claimed the rest.
        assertEquals(1, requestsTo("/events").size(), "the firehose after the watched repositories");
        for (GeneratedRepo r : repos) {
            assertTrue(!requestsTo("/repos/" + r.name + "/events").isEmpty(), r.name + " never polled");
        }
        given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("github_budget_denied_total{use=\"watched\"}"));
    }
}
