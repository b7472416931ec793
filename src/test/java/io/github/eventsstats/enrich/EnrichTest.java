package io.github.eventsstats.enrich;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.github.RateBudget;
import io.github.eventsstats.platform.FakeClock;
import io.github.eventsstats.poller.EventsPoller;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enrichment against a fake GitHub serving profiles with ETags, 404s, failures and rate limits,
 * storing into the embedded engine, on a fake clock. Events come in through the firehose; each test
 * starts ten days after the newest stored event (and at least a year ahead), so the actors and
 * repositories of other tests, earlier runs and other test classes are outside ENRICH_LOOKBACK.
 */
@QuarkusTest
@TestProfile(EnrichTestProfile.class)
class EnrichTest {

    private static final Path DIR = Path.of("target/enrich-test");
    private static long nextId = System.currentTimeMillis() * 1_000_000L;

    @Inject
    Enricher enricher;
    @Inject
    EventsPoller firehose;
    @Inject
    ClickHouse clickHouse;
    @Inject
    RateBudget budget;
    @Inject
    FakeClock clock;

    private FakeGitHub fake;
    private FakeProfiles profiles;
    private String run;

    @BeforeEach
    void fresh() throws IOException {
        Instant newest = clickHouse.query("SELECT max(created_at) AS t FROM events", Map.of()).getFirst().getInstant("t");
        Instant ahead = Instant.now().plus(Duration.ofDays(400));
        clock.set((newest.isAfter(ahead) ? newest : ahead).plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.HOURS));
        fake = FakeGitHub.instance;
        fake.useClock(clock, clock::advance);
        fake.reset();
        fake.clearRoutes();
        profiles = new FakeProfiles(fake);
        run = "t" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        Files.createDirectories(DIR);
        waitFirehose();
    }

    @AfterEach
    void routesOff() {
        fake.clearRoutes();
    }

    /** The firehose waits far away unless a test polls it. */
    private void waitFirehose() throws IOException {
        Files.writeString(DIR.resolve("client-state.json"), "{\"nextPollAt\":\"2200-01-01T00:00:00Z\"}");
        firehose.reload();
    }

    private record Event(String actor, String repo) {
    }

    private static String json(Event e, Instant at) {
        long id = nextId++;
        return "{\"id\":\"" + id + "\",\"type\":\"WatchEvent\",\"actor\":{\"id\":" + Math.abs(e.actor().hashCode())
                + ",\"login\":\"" + e.actor() + "\"},\"repo\":{\"id\":" + Math.abs(e.repo().hashCode()) + ",\"name\":\""
                + e.repo() + "\"},\"payload\":{\"action\":\"started\"},\"public\":true,\"created_at\":\"" + at + "\"}";
    }

    /** One firehose poll that delivers these events, created a second apart up to now (the last is the newest). */
    private void ingest(List<Event> events) throws IOException {
        List<String> newestFirst = new ArrayList<>();
        Instant now = clock.instant();
        for (int i = events.size() - 1; i >= 0; i--) {
            newestFirst.add(json(events.get(i), now.minusSeconds(events.size() - 1 - i)));
        }
        String page = "[" + String.join(",", newestFirst) + "]";
        // As GitHub says it: polls 10 min apart, so the budget keeps 6 polls an hour for the firehose, not 3,600.
        fake.route("/events", r -> FakeGitHub.ok(page).header("X-Poll-Interval", "600"));
        Files.delete(DIR.resolve("client-state.json"));
        firehose.reload();
        firehose.tick();
        fake.route("/events", r -> FakeGitHub.notModified());
    }

    private long stored(String actor) {
        return clickHouse.query("SELECT uniqExact(event_id) AS c FROM events WHERE actor_login = {a:String}",
                Map.of("a", actor)).getFirst().getLong("c");
    }

    private List<FakeGitHub.Request> requestsTo(String path) {
        return fake.requests().stream().filter(r -> r.uri().equals(path) || r.uri().startsWith(path + "?")).toList();
    }

    private List<FakeGitHub.Request> profileRequests() {
        return fake.requests().stream().filter(r -> r.uri().startsWith("/users/") || r.uri().startsWith("/repos/")).toList();
    }

    @Test
    void actorsAndRepositoriesSeenInEventsAreFetchedStoredAndAnswered() throws IOException {
        String berlin = run + "-berlin";
        String sf = run + "-sf";
        String earth = run + "-earth";
        String gone = run + "-gone";
        String bot = run + "-ci[bot]";
        String lib = run + "-org/lib";
        String app = run + "-org/app";
        String deleted = run + "-org/deleted";
        profiles.user(berlin, "Ber Lin", "Berlin", 10);
        profiles.user(sf, "Es Ef", "San Francisco, CA", 20);
        profiles.user(earth, "Ea Rth", "Earth", 30);
        profiles.user(bot, "CI", null, 0);
        profiles.repo(lib, "Java", 42);
        profiles.repo(app, null, 7);
        ingest(List.of(new Event(gone, deleted), new Event(earth, app), new Event(sf, lib), new Event(bot, app),
                new Event(berlin, lib), new Event(berlin, lib)));

        enricher.run();

        for (String login : List.of(berlin, sf, earth, gone)) {
            assertEquals(1, requestsTo("/users/" + login).size(), login);
        }
        assertEquals(1, requestsTo("/users/" + run + "-ci%5Bbot%5D").size(), "a bot's login, escaped");
        for (String repo : List.of(lib, app, deleted)) {
            assertEquals(1, requestsTo("/repos/" + repo).size(), repo);
        }
        assertEquals(8, profileRequests().size(), "each once: " + profileRequests());
        assertTrue(profileRequests().stream().allMatch(r -> r.ifNoneMatch() == null), "nothing stored to revalidate");

        given().get("/actors/" + berlin).then().statusCode(200)
                .body("login", equalTo(berlin)).body("profile_status", equalTo("ok"))
                .body("fetched_at", equalTo(clock.instant().toString()))
                .body("checked_at", equalTo(clock.instant().toString()))
                .body("profile.name", equalTo("Ber Lin")).body("profile.company", equalTo("@acme"))
                .body("profile.location", equalTo("Berlin")).body("profile.country_code", equalTo("DE"))
                .body("profile.followers", equalTo(10)).body("profile.public_repos", equalTo(12))
                .body("profile.created_at", equalTo("2015-03-04T05:06:07Z"))
                .body("activity.total_events", equalTo(2)).body("activity.repositories", equalTo(1))
                .body("activity.counts.WatchEvent", equalTo(2));
        given().get("/actors/" + earth).then().statusCode(200).body("profile.country_code", nullValue());
        given().get("/actors/" + gone).then().statusCode(200).body("profile_status", equalTo("not_found"))
                .body("profile", nullValue()).body("fetched_at", nullValue())
                .body("activity.total_events", equalTo(1));
        given().get("/actors/" + run + "-nobody").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no profile or event"));
        given().get("/actors/-bad").then().statusCode(400).body("parameter", equalTo("login"));

        given().get("/repositories/" + lib).then().statusCode(200)
                .body("profile_status", equalTo("ok")).body("profile.stars", equalTo(42))
                .body("profile.language", equalTo("Java")).body("profile.topics", equalTo(List.of("cli", "stats")))
                .body("profile.license", equalTo("MIT")).body("profile.archived", equalTo(false))
                .body("profile.description", equalTo("the " + lib + " project"))
                .body("activity.total_events", equalTo(3)).body("activity.unique_users", equalTo(2));
        given().get("/repositories/" + deleted).then().statusCode(200).body("profile_status", equalTo("not_found"));
        given().get("/repositories/" + run + "-org/none").then().statusCode(404);

        String find = "repositories.find { it.repo_name == '%s' }.";
        given().get("/metrics/top-repos?days=1&limit=10").then().statusCode(200)
                .body(find.formatted(lib) + "stars", equalTo(42)).body(find.formatted(lib) + "language", equalTo("Java"))
                .body(find.formatted(app) + "stars", equalTo(7)).body(find.formatted(app) + "language", nullValue())
                .body(find.formatted(deleted) + "stars", nullValue());
        given().get("/metrics/top-countries?days=1&limit=10").then().statusCode(200)
                .body("countries.country_code", equalTo(List.of("DE", "US")))
                .body("countries[0].actors", equalTo(1)).body("countries[0].events", equalTo(2))
                .body("actors", equalTo(5)).body("actors_enriched", equalTo(5)).body("actors_located", equalTo(2))
                .body("coverage", org.hamcrest.Matchers.notNullValue());
        given().get("/metrics/top-countries?days=0").then().statusCode(400).body("parameter", equalTo("days"));

        clock.advance(Duration.ofHours(23));
        enricher.run();
        assertEquals(8, profileRequests().size(), "fresh profiles and 404s are not asked again within ENRICH_TTL");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("enrich_requests_total{kind=\"actor\",outcome=\"fetched\"}"))
                .body(containsString("enrich_requests_total{kind=\"repository\",outcome=\"not_found\"}"))
                .body(containsString("enrich_queue{kind=\"actor\"} 0.0"));
    }

    @Test
    void aStaleProfileIsAskedWithItsETagAndA304KeepsItsDataForFree() throws IOException {
        String dev = run + "-dev";
        String gone = run + "-gone";
        String repo = run + "-org/tool";
        profiles.user(dev, "De V", "Tokyo, JP", 5);
        profiles.repo(repo, "Go", 3);
        ingest(List.of(new Event(gone, repo), new Event(dev, repo)));
        enricher.run();
        Instant fetched = clock.instant();
        assertEquals(3, profileRequests().size());

        clock.advance(Duration.ofHours(25));
        fake.rateLimit(100, clock.instant().plus(Duration.ofHours(1)));
        ingest(List.of(new Event(gone, repo), new Event(dev, repo)));
        int before = profileRequests().size();
        enricher.run();
        List<FakeGitHub.Request> asked = profileRequests().subList(before, profileRequests().size());
        assertEquals(3, asked.size(), "each stale entry once: " + asked);
        FakeGitHub.Request user = asked.stream().filter(r -> r.uri().equals("/users/" + dev)).findFirst().orElseThrow();
        assertTrue(user.ifNoneMatch() != null && user.ifNoneMatch().startsWith("W/\""), "conditional: " + user);
        assertEquals(null, asked.stream().filter(r -> r.uri().equals("/users/" + gone)).findFirst().orElseThrow()
                .ifNoneMatch(), "a 404 has no ETag to send");
        assertEquals(2, fake.spent(), "the firehose's poll and the 404; the two 304s are free");
        given().get("/actors/" + dev).then().statusCode(200)
                .body("fetched_at", equalTo(fetched.toString()))
                .body("checked_at", equalTo(clock.instant().toString()))
                .body("profile.followers", equalTo(5)).body("profile.country_code", equalTo("JP"));

        clock.advance(Duration.ofHours(25));
        profiles.user(dev, "De V", "Osaka", 6);
        ingest(List.of(new Event(dev, repo)));
        enricher.run();
        given().get("/actors/" + dev).then().statusCode(200)
                .body("fetched_at", equalTo(clock.instant().toString()))
                .body("profile.followers", equalTo(6)).body("profile.location", equalTo("Osaka"));
        given().get("/q/metrics").then()
                .body(containsString("enrich_requests_total{kind=\"actor\",outcome=\"not_modified\"}"))
                .body(containsString("enrich_requests_total{kind=\"actor\",outcome=\"refreshed\"}"));
    }

    @Test
    void theBudgetIsNeverExceededAndEnrichmentGetsOnlyWhatThePollersLeave() throws IOException {
        Instant reset = clock.instant().plus(Duration.ofHours(1));
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String login = run + "-u" + i;
            String repo = run + "-org/r" + (i % 50);
            profiles.user(login, "U " + i, i % 2 == 0 ? "Berlin" : "Paris, France", i);
            profiles.repo(repo, "Rust", i);
            events.add(new Event(login, repo));
        }
        ingest(events);
        fake.rateLimit(60, reset);
        // The firehose is asked to come back every 10 min: 6 polls of up to 3 pages kept for it until the reset.
        fake.route("/events", r -> FakeGitHub.ok("[]").header("X-Poll-Interval", "600"));
        Files.delete(DIR.resolve("client-state.json"));
        firehose.reload();
        long deniedBefore = budget.denied(RateBudget.Use.ENRICHMENT);
        int pollsBefore = requestsTo("/events?per_page=100").size();
        Instant end = reset.minusSeconds(1);
        while (clock.instant().isBefore(end)) {
            firehose.tick();
            enricher.run();
            clock.advance(Duration.ofSeconds(20));
        }
        assertEquals(0, fake.overLimit(), "a request past the limit");
        assertTrue(fake.spent() <= 60 - 5, "the reserve was spent: " + fake.spent());
        assertEquals(6, requestsTo("/events?per_page=100").size() - pollsBefore, "every firehose poll went out");
        long enriched = profileRequests().size();
        assertTrue(enriched > 0 && enriched < 150, "enrichment got some of the budget, not all it wanted: " + enriched);
        assertTrue(budget.denied(RateBudget.Use.ENRICHMENT) > deniedBefore, "enrichment was held back");
        given().get("/q/metrics").then().body(containsString("enrich_queue{kind=\"actor\"}"));
    }

    @Test
    void ingestionGoesOnWhileEnrichmentFailsAndFailuresWaitTheirRetry() throws IOException {
        String dev = run + "-dev";
        String repo = run + "-org/flaky";
        profiles.user(dev, "De V", "Berlin", 1);
        profiles.repo(repo, "C", 1);
        profiles.failWith(r -> FakeGitHub.status(502, "{\"message\":\"Server Error\"}"));
        ingest(List.of(new Event(dev, repo)));
        enricher.run();
        assertEquals(2, profileRequests().size(), "asked once each: " + profileRequests());

        clock.advance(Duration.ofMinutes(10));
        ingest(List.of(new Event(dev, repo), new Event(run + "-other", repo)));
        assertEquals(2, stored(dev), "the firehose stores while enrichment fails");
        enricher.run();
        assertEquals(3, profileRequests().size(), "only the new actor: the failed ones wait ENRICH_FAILURE_RETRY");
        given().get("/actors/" + dev).then().statusCode(200).body("profile_status", equalTo("pending"))
                .body("activity.total_events", equalTo(2));

        // A rate limit answer stops enrichment until GitHub's time; the firehose goes on.
        clock.advance(Duration.ofMinutes(55));
        profiles.failWith(r -> FakeGitHub.status(403, "{\"message\":\"API rate limit exceeded for user\"}")
                .header("Retry-After", "600"));
        enricher.run();
        int limited = profileRequests().size();
        assertEquals(4, limited, "one request, then it stops: " + profileRequests());
        clock.advance(Duration.ofMinutes(5));
        profiles.recover();
        enricher.run();
        assertEquals(limited, profileRequests().size(), "nothing before Retry-After");
        ingest(List.of(new Event(dev, repo)));
        assertEquals(3, stored(dev));

        clock.advance(Duration.ofMinutes(6));
        enricher.run();
        given().get("/actors/" + dev).then().statusCode(200).body("profile_status", equalTo("ok"))
                .body("profile.country_code", equalTo("DE"));
        given().get("/repositories/" + repo).then().statusCode(200).body("profile.language", equalTo("C"));
        given().get("/q/metrics").then()
                .body(containsString("enrich_requests_total{kind=\"actor\",outcome=\"failed\"}"))
                .body(containsString("enrich_requests_total{kind=\"actor\",outcome=\"rate_limited\"}"))
                .body(containsString("enrich_requests_total{kind=\"repository\",outcome=\"failed\"}"));
    }
}
