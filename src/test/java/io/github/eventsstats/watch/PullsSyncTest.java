package io.github.eventsstats.watch;

import io.github.eventsstats.cli.BackfillCommand;
import io.github.eventsstats.github.FakeGitHub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Watched repositories' pull-request histories: loaded from the fake GitHub's pulls lists of
 * generated repositories into the embedded engine, counted by repository and number together with
 * the PullRequestEvents the pollers and the archive deliver.
 */
@QuarkusTest
@TestProfile(WatchTestProfile.class)
class PullsSyncTest extends WatchTestBase {

    @Inject
    BackfillCommand backfill;

    private static JsonPath prAverage(String repo) {
        return given().get("/metrics/pr-average/" + repo).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath watchState(String repo) {
        return given().get("/watch").then().statusCode(200).extract().jsonPath()
                .setRootPath("repositories.find { it.repository == '" + repo + "' }");
    }

    private List<FakeGitHub.Request> pullsRequests(GeneratedRepo repo) {
        return requestsTo("/repos/" + repo.name + "/pulls").stream()
                .filter(r -> !r.uri().startsWith("/repos/" + repo.name + "/pulls/comments")).toList();
    }

    /** Ticks the watch poller once a minute until the repository's history is loaded, at most {@code ticks} times. */
    private void tickUntilLoaded(GeneratedRepo repo, int ticks) {
        for (int i = 0; i < ticks && !list.get(repo.name).orElseThrow().pulls.loaded; i++) {
            watch.tick();
            clock.advance(Duration.ofMinutes(1));
        }
    }

    private static void assertExact(GeneratedRepo repo, JsonPath avg) {
        assertEquals(repo.prs.size(), avg.getLong("pr_count"));
        assertEquals(repo.averageSeconds(), avg.getDouble("average_seconds"), 1e-3, "the answer's 4 decimals");
        assertEquals(repo.prs.getFirst().createdAt().toString(), avg.getString("first_opened_at"));
        assertEquals(repo.prs.getLast().createdAt().toString(), avg.getString("last_opened_at"));
        assertTrue(avg.getBoolean("complete"));
        assertEquals(repo.prs.getFirst().createdAt().toString(), avg.getString("complete_since"), "since its first PR");
    }

    @Test
    void aWatchedRepositorysPrAverageIsExactFromItsFirstPrWhileTheFirehoseSeesOnlyASample() throws IOException {
        GeneratedRepo repo = generated(unique("avg-org"), 450); // its events feed shows the newest 300
        serve(repo);
        fake.route("/events", r -> FakeGitHub.ok(repo.sample(pr -> pr.number() % 3 == 0)));
        Files.delete(DIR.resolve("client-state.json"));
        firehose.reload();
        firehose.tick();
        JsonPath sampled = prAverage(repo.name);
        assertEquals(100, sampled.getLong("pr_count"), "one page of every third PR: what the firehose saw");
        assertFalse(sampled.getBoolean("complete"));
        assertNull(sampled.get("complete_since"));

        watch(repo.name);
        watch.tick();
        assertFalse(prAverage(repo.name).getBoolean("complete"), "3 of its 5 pages loaded: not complete yet");
        assertEquals(300, prAverage(repo.name).getLong("pr_count"), "the 300 newest, seen as events and as PRs");
        clock.advance(Duration.ofMinutes(1));
        watch.tick();

        assertExact(repo, prAverage(repo.name));
        assertEquals(5, pullsRequests(repo).size(), "5 pages of 100, each asked once: " + pullsRequests(repo));
        JsonPath state = watchState(repo.name);
        assertTrue(state.getBoolean("pulls_loaded"));
        assertEquals(450, state.getLong("pulls_stored"));
        assertEquals(repo.prs.getFirst().createdAt().toString(), state.getString("pulls_complete_since"));
        assertNull(state.get("pulls_last_error"));
        assertTrue(state.getBoolean("complete"), "events polled and the history loaded");
    }

    @Test
    void coverageCountsThePullsListAsASourceAndEachPrOnceHoweverManySourcesSawIt() throws IOException {
        // Hours of 2024 that no other test writes into (the sync tests take hours of 2012-2021, BackfillTest
        // of 2023): coverage is per hour over every repository.
        Instant last = Instant.parse("2024-09-30T00:00:00Z");
        GeneratedRepo repo = new GeneratedRepo(unique("cov-org"), 450, last, nextIds, 17);
        nextIds += 1_000_000;
        serve(repo);
        fake.route("/events", r -> FakeGitHub.ok(repo.sample(pr -> pr.number() % 3 == 0)));
        Files.delete(DIR.resolve("client-state.json"));
        firehose.reload();
        firehose.tick(); // every third of the newest 300: 100 PRs
        watch(repo.name);
        tickUntilLoaded(repo, 5); // its events feed: the newest 300; its pulls list: all 450

        List<Map<String, Object>> hours = given().queryParam("from", "2024-09-01T00:00:00Z")
                .queryParam("to", last.plus(Duration.ofHours(1)).toString()).get("/metrics/coverage")
                .then().statusCode(200).extract().jsonPath().getList("hours");
        assertEquals(450, sum(hours, "pulls", null), "every PR of the list, in the hour it was opened");
        assertEquals(300, sum(hours, "watched", null));
        assertEquals(100, sum(hours, "firehose", null));
        assertEquals(300, sum(hours, "pulls", "watched"), "the PRs both saw, matched by repository and number");
        assertEquals(100, sum(hours, "pulls", "firehose"));
        assertEquals(100, sum(hours, "firehose", "watched"));
        assertEquals(450, hours.stream().mapToLong(h -> ((Number) h.get("events_seen")).longValue()).sum(),
                "each PR once, whoever saw it");
    }

    /** A source's events seen over the hours, or (with {@code other}) those the other source also saw. */
    @SuppressWarnings("unchecked")
    private static long sum(List<Map<String, Object>> hours, String source, String other) {
        long n = 0;
        for (Map<String, Object> h : hours) {
            Map<String, Object> s = (Map<String, Object>) ((Map<String, Object>) h.get("sources")).get(source);
            if (s != null) {
                n += ((Number) (other == null ? s.get("seen") : ((Map<String, Object>) s.get("also_seen_by")).get(other))).longValue();
            }
        }
        return n;
    }

    @Test
    void laterSyncsStopAtTheFirstPageThatReachesKnownPrsAndAnUnchangedListCostsA304() {
        GeneratedRepo repo = generated(unique("inc-org"), 250);
        serve(repo);
        watch(repo.name);
        tickUntilLoaded(repo, 5);
        assertEquals(3, pullsRequests(repo).size());

        clock.advance(Duration.ofHours(1)); // WATCH_PULLS_INTERVAL
        watch.tick();
        List<FakeGitHub.Request> asked = pullsRequests(repo);
        assertEquals(4, asked.size(), "one request: " + asked);
        assertEquals("\"pl-250-100\"", asked.getLast().ifNoneMatch(), "the first page's ETag of the load");

        for (int i = 0; i < 150; i++) {
            repo.open(Duration.ofMinutes(3));
        }
        clock.advance(Duration.ofHours(1));
        watch.tick();
        asked = pullsRequests(repo);
        assertEquals(6, asked.size(), "page 1 (100 new PRs) and page 2 (50 new, then known ones), not all 4: " + asked);
        assertTrue(asked.get(5).uri().contains("page=2"), asked.get(5).uri());
        assertExact(repo, prAverage(repo.name));
        assertEquals(400, watchState(repo.name).getLong("pulls_stored"));
    }

    /** A watched repository of 520 PRs whose first load has fetched 3 of its 6 pages. */
    private GeneratedRepo halfLoaded(String owner) {
        GeneratedRepo repo = generated(unique(owner), 520);
        serve(repo);
        watch(repo.name);
        watch.tick(); // WATCH_PULLS_PAGES_PER_TICK
        assertEquals(3, pullsRequests(repo).size());
        return repo;
    }

    @Test
    void aFirstLoadCutShortByARestartGoesOnFromItsNextPage() {
        GeneratedRepo repo = halfLoaded("rst-org");
        assertFalse(list.get(repo.name).orElseThrow().pulls.loaded);

        list.reload(); // a restart reads the watch file again
        clock.advance(Duration.ofMinutes(1));
        watch.tick();
        List<String> pages = pullsRequests(repo).stream().map(FakeGitHub.Request::uri).toList();
        assertEquals(6, pages.size(), pages.toString());
        for (int page = 2; page <= 6; page++) {
            String p = "page=" + page;
            assertEquals(1, pages.stream().filter(u -> u.endsWith(p)).count(), p + " once: " + pages);
        }
        assertExact(repo, prAverage(repo.name));
    }

    @Test
    void aPassSavedUnderAnotherApiUrlStartsOverHereAndSendsNothingThere() {
        GeneratedRepo repo = halfLoaded("api-org");
        FakeGitHub before = FakeGitHub.elsewhere(); // where GITHUB_API_URL pointed when the pass was saved
        try {
            list.update(repo.name, false, live -> live.pulls.nextUrl = before.baseUrl() + "/repos/" + repo.name
                    + "/pulls?state=all&sort=updated&direction=desc&per_page=100&page=4");
            clock.advance(Duration.ofMinutes(1));
            tickUntilLoaded(repo, 5);
            assertTrue(before.requests().isEmpty(), "the token went to the old API URL");
            List<String> pages = pullsRequests(repo).stream().map(FakeGitHub.Request::uri).toList();
            assertFalse(pages.get(3).matches(".*[?&]page=\\d+.*"), "the pass starts over from its first page: " + pages);
            assertExact(repo, prAverage(repo.name));
        } finally {
            before.stop();
        }
    }

    @Test
    void aPullRequestSeenAsEventsInAnArchiveFileAndInThePullsListCountsOnce() throws Exception {
        GeneratedRepo repo = generated(unique("once-org"), 120);
        serve(repo);
        // The archive's hour file holds every opening (as GH Archive would), the firehose a sample of them.
        Path file = DIR.resolve("once-" + repo.prs.getFirst().eventId() + ".json.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            for (GeneratedRepo.Pr pr : repo.prs) {
                out.write((repo.event(pr) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        assertEquals(0, backfill.run(file.toString()));
        fake.route("/events", r -> FakeGitHub.ok(repo.sample(pr -> pr.number() % 2 == 0)));
        Files.delete(DIR.resolve("client-state.json"));
        firehose.reload();
        firehose.tick();
        assertEquals(120, clickHouse.query("SELECT uniqExact(number) AS n FROM events WHERE repo_name = {r:String}"
                + " AND number > 0", Map.of("r", repo.name)).getFirst().getLong("n"), "the archive's events carry their numbers");

        watch(repo.name);
        tickUntilLoaded(repo, 5);
        assertEquals(120, clickHouse.query("SELECT count() AS n FROM pull_requests FINAL WHERE repo_name = {r:String}",
                Map.of("r", repo.name)).getFirst().getLong("n"));
        assertEquals(120, rows(repo.name), "each event stored once");
        assertExact(repo, prAverage(repo.name));
    }

    @Test
    void errorAnswersOnThePullsListGiveTheRepositoryAStateOrBackOffNeverALoop() {
        GeneratedRepo gone = generated(unique("pgone-org"), 10);
        GeneratedRepo legal = generated(unique("plegal-org"), 10);
        GeneratedRepo flaky = generated(unique("pflaky-org"), 10);
        for (GeneratedRepo r : List.of(gone, legal, flaky)) {
            serve(r);
            watch(r.name);
        }
        fake.route("/repos/" + gone.name + "/pulls", r -> FakeGitHub.status(404, "{\"message\":\"Not Found\"}"));
        fake.route("/repos/" + legal.name + "/pulls", r -> FakeGitHub.status(451, "{\"message\":\"Repository access blocked\"}"));
        AtomicInteger failures = new AtomicInteger(2);
        fake.route("/repos/" + flaky.name + "/pulls", r -> failures.getAndDecrement() > 0
                ? FakeGitHub.status(502, "") : flaky.pulls(r));

        watch.tick();
        assertEquals("not_found", watchState(gone.name).getString("status"));
        assertEquals("blocked", watchState(legal.name).getString("status"));
        assertTrue(watchState(flaky.name).getString("pulls_last_error").contains("502"),
                watchState(flaky.name).getString("pulls_last_error"));
        assertEquals("active", watchState(flaky.name).getString("status"), "a server error is no state");
        for (int i = 0; i < 30; i++) {
            clock.advance(Duration.ofMinutes(1));
            watch.tick();
        }
        assertEquals(1, pullsRequests(gone).size(), "asked again within 30 min");
        assertEquals(1, pullsRequests(legal).size());
        assertEquals(3, pullsRequests(flaky).size(), "two failures backed off, then loaded");
        JsonPath state = watchState(flaky.name);
        assertTrue(state.getBoolean("pulls_loaded"));
        assertNull(state.get("pulls_last_error"));
        assertFalse(prAverage(gone.name).getBoolean("complete"));
        assertTrue(prAverage(flaky.name).getBoolean("complete"));
    }

    @Test
    void theBudgetIsNeverExceededWhilePullsHistoriesLoadOverSeveralWindows() throws IOException {
        Instant reset = clock.instant().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        fake.rateLimit(30, reset);
        List<GeneratedRepo> repos = List.of(generated(unique("pb1-org"), 600), generated(unique("pb2-org"), 600),
                generated(unique("pb3-org"), 600));
        repos.forEach(this::serve);
        repos.forEach(r -> watch(r.name));
        // The firehose is asked to come back every 20 min: 3 polls of up to 3 pages a window.
        fake.route("/events", r -> FakeGitHub.ok(repos.getFirst().sample(pr -> pr.number() % 7 == 0))
                .header("X-Poll-Interval", "1200"));
        Files.delete(DIR.resolve("client-state.json"));
        firehose.reload();
        List<Integer> spentPerWindow = new ArrayList<>();
        int spentBefore = 0;
        Instant windowEnd = reset;
        while (spentPerWindow.size() < 4 && !repos.stream().allMatch(r -> list.get(r.name).orElseThrow().pulls.loaded)) {
            while (clock.instant().isBefore(windowEnd.minusSeconds(1))) {
                firehose.tick();
                watch.tick();
                clock.advance(Duration.ofSeconds(30));
            }
            spentPerWindow.add(fake.spent() - spentBefore);
            spentBefore = fake.spent();
            clock.set(windowEnd.plusSeconds(2)); // the fake starts its next window
            windowEnd = windowEnd.plus(Duration.ofHours(1));
        }
        assertEquals(0, fake.overLimit(), "a request past the limit");
        assertTrue(spentPerWindow.stream().allMatch(s -> s <= 30 - 5), "the reserve was spent: " + spentPerWindow);
        assertTrue(spentPerWindow.size() > 1, "loaded within one window: the test asks too little " + spentPerWindow);
        for (GeneratedRepo r : repos) {
            assertExact(r, prAverage(r.name));
        }
    }
}
