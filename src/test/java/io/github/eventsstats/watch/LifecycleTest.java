package io.github.eventsstats.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.github.FakeGitHub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pull-request and issue lifecycle: histories generated with merged, closed and open PRs,
 * issues, comments by authors, bots and others, served by the fake GitHub's REST lists, loaded
 * into the embedded engine; every field of the answers equals {@link LifecycleOracle}'s
 * computation over the generated truth.
 */
@QuarkusTest
@TestProfile(WatchTestProfile.class)
class LifecycleTest extends WatchTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GeneratedHistory history(String owner, int pulls, int issues) {
        GeneratedHistory h = new GeneratedHistory(unique(owner), pulls, issues, 120, clock.instant(), owner.hashCode());
        h.serve(fake);
        return h;
    }

    private void tickUntilLoaded(String repository, int ticks) {
        for (int i = 0; i < ticks && !list.get(repository).orElseThrow().historyLoaded(); i++) {
            watch.tick();
            clock.advance(Duration.ofMinutes(1));
        }
        assertTrue(list.get(repository).orElseThrow().historyLoaded(), "loaded within " + ticks + " ticks");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> get(String path, Object... params) throws IOException {
        var request = given();
        for (int i = 0; i < params.length; i += 2) {
            request = request.queryParam((String) params[i], params[i + 1]);
        }
        String body = request.get(path).then().statusCode(200).extract().asString();
        return JSON.readValue(body, Map.class);
    }

    /** Numbers as Long when whole, doubles to 6 decimals: the JSON's and the oracle's the same way. */
    @SuppressWarnings("unchecked")
    static Object normal(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put((String) k, normal(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(normal(x)));
            return out;
        }
        if (v instanceof Double || v instanceof Float) {
            return Math.round(((Number) v).doubleValue() * 1e6) / 1e6;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        return v;
    }

    static void assertFields(Map<String, Object> expected, Map<String, Object> answer) {
        for (var e : expected.entrySet()) {
            assertEquals(normal(e.getValue()), normal(answer.get(e.getKey())), e.getKey());
        }
    }

    static void assertExact(GeneratedHistory h, int days, boolean bots) throws IOException {
        Map<String, Object> prs = get("/metrics/pull-requests/" + h.name, "days", days, "include_bots", bots);
        Instant from = Instant.parse((String) prs.get("from"));
        Instant to = Instant.parse((String) prs.get("to"));
        assertEquals(Duration.ofDays(days), Duration.between(from, to));
        assertFields(LifecycleOracle.pullRequests(h, from, to, bots), prs);
        assertEquals(true, prs.get("complete"));
        assertEquals(bots, prs.get("include_bots"));
        Map<String, Object> issues = get("/metrics/issues/" + h.name, "days", days, "include_bots", bots);
        assertFields(LifecycleOracle.issues(h, Instant.parse((String) issues.get("from")),
                Instant.parse((String) issues.get("to")), bots), issues);
        assertEquals(true, issues.get("complete"));
    }

    @Test
    void everyFieldEqualsTheGeneratedTruthOnceTheHistoryIsLoaded() throws IOException {
        GeneratedHistory h = history("life-org", 160, 70);
        watch(h.name);
        Map<String, Object> before = get("/metrics/pull-requests/" + h.name);
        assertEquals(false, before.get("complete"), "not loaded yet");

        tickUntilLoaded(h.name, 10);
        assertExact(h, 90, false);
        assertExact(h, 90, true);
        assertExact(h, 14, false);
        assertExact(h, 365, false);
        Map<String, Object> prs = get("/metrics/pull-requests/" + h.name);
        assertEquals(90, ((Number) prs.get("days")).intValue(), "90 days by default");
        assertTrue((Long.valueOf(prs.get("bots_excluded").toString())) > 0, "the truth has bot-authored PRs");
        Map<String, Object> state = (Map<String, Object>) prs.get("history");
        assertEquals("loaded", state.get("state"));
        assertTrue(((Number) state.get("pages_loaded")).longValue() >= 4, state.toString());
        assertEquals(h.items.getFirst().createdAt.toString(), prs.get("complete_since"), "its first item");
    }

    @Test
    void aPullRequestMergedAfterTheFirstSyncIsSeenAtTheNextAsIsANewFirstResponse() throws IOException {
        GeneratedHistory h = history("later-org", 140, 40);
        watch(h.name);
        tickUntilLoaded(h.name, 10);
        assertExact(h, 90, false);
        long mergedBefore = ((Number) get("/metrics/pull-requests/" + h.name).get("merged")).longValue();

        // Opened weeks ago, merged now: the pulls list by update time puts it first.
        h.mergeOldestOpen(clock.instant().minus(Duration.ofDays(80)), clock.instant().minus(Duration.ofDays(14)),
                clock.instant());
        GeneratedHistory.Item answered = h.answerOne(clock.instant());
        clock.advance(Duration.ofHours(1).plusMinutes(1)); // WATCH_PULLS_INTERVAL
        int asked = fake.requests().size();
        watch.tick();
        List<String> lists = fake.requests().subList(asked, fake.requests().size()).stream().map(FakeGitHub.Request::uri)
                .filter(u -> u.startsWith("/repos/" + h.name + "/") && !u.contains("/events")).toList();
        assertEquals(4, lists.size(), "each list's first page only, by update time: " + lists);
        assertEquals(mergedBefore + 1, ((Number) get("/metrics/pull-requests/" + h.name).get("merged")).longValue());
        assertExact(h, 90, false);
        assertNotEquals(null, LifecycleOracle.firstResponse(h, answered));
    }

    @Test
    void completeSinceMovesToAnEarlierItemSeenAtALaterSync() throws IOException {
        GeneratedHistory h = history("since-org", 20, 10);
        watch(h.name);
        tickUntilLoaded(h.name, 5);
        assertEquals(h.items.getFirst().createdAt.toString(), get("/metrics/issues/" + h.name).get("complete_since"));

        Instant earlier = h.items.getFirst().createdAt.minus(Duration.ofDays(30));
        h.transferIssue(earlier, clock.instant());
        clock.advance(Duration.ofHours(1).plusMinutes(1)); // WATCH_PULLS_INTERVAL
        watch.tick();
        assertEquals(earlier.toString(), get("/metrics/pull-requests/" + h.name).get("complete_since"),
                "the first item as stored now, not as it was found before");
        assertEquals(earlier.toString(), get("/metrics/issues/" + h.name).get("complete_since"));
    }

    @Test
    void anUnchangedHistoryCostsOnly304sOnceItsRefreshesGoByUpdateTime() {
        GeneratedHistory h = history("same-org", 30, 10);
        watch(h.name);
        tickUntilLoaded(h.name, 5);
        // The first refresh asks from the watermark (since=), a request the first pass did not make:
        // its answer is new, so its ETag is the one the next refreshes send.
        clock.advance(Duration.ofHours(2));
        watch.tick();
        clock.advance(Duration.ofHours(2));
        fake.rateLimit(100, clock.instant().plus(Duration.ofHours(1)));
        watch.tick();
        assertEquals(0, fake.spent(), "a quiet feed and four lists unchanged: free 304s");
        List<FakeGitHub.Request> lists = requestsTo("/repos/" + h.name).stream()
                .filter(r -> r.at().equals(clock.instant())).toList();
        assertTrue(lists.stream().filter(r -> !r.uri().contains("/events")).allMatch(r -> r.ifNoneMatch() != null), lists.toString());
    }

    @Test
    void aRepositoryWhoseHistoryIsNotLoadedIsAnsweredFromItsEventsAndSaysSo() throws IOException {
        String repo = unique("ev-org");
        // PR 1 opened 3 days ago, merged a day later; PR 2 opened and closed; PR 3 open; PR 4 by a bot.
        new PullRequestEvents()
                .add(repo, "opened", 1, "alice", Duration.ofDays(3))
                .add(repo, "merged", 1, "bob", Duration.ofDays(2))
                .add(repo, "opened", 2, "carol", Duration.ofHours(30))
                .add(repo, "closed", 2, "carol", Duration.ofHours(20))
                .add(repo, "opened", 3, "dave", Duration.ofHours(5))
                .add(repo, "opened", 4, "dependabot[bot]", Duration.ofHours(4))
                .storedThroughTheFirehose();

        Map<String, Object> prs = get("/metrics/pull-requests/" + repo, "days", 7);
        assertEquals(false, prs.get("complete"));
        assertNull(prs.get("complete_since"));
        assertEquals("queued", ((Map<?, ?>) prs.get("history")).get("state"), "asked about: queued for its history");
        assertEquals(3L, normal(prs.get("opened")));
        assertEquals(1L, normal(prs.get("merged")));
        assertEquals(1L, normal(prs.get("closed_unmerged")));
        assertEquals(1L, normal(prs.get("open")));
        assertEquals(1L, normal(prs.get("bots_excluded")));
        assertEquals(86_400L, normal(((Map<?, ?>) prs.get("time_to_merge_seconds")).get("p50")));
        assertEquals(36_000L, normal(((Map<?, ?>) prs.get("time_to_close_seconds")).get("p90")));
        assertEquals(0.5, normal(prs.get("merge_rate")));
        assertEquals(4L, normal(get("/metrics/pull-requests/" + repo, "days", 7, "include_bots", "true").get("opened")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aComparisonOfRepositoriesNotLoadedAnswersEachFromItsOwnEventsInOneQuery() throws IOException {
        String one = unique("evc-a");
        String two = unique("evc-b");
        // The same numbers in both repositories, with other fates.
        new PullRequestEvents()
                .add(one, "opened", 1, "alice", Duration.ofDays(3))
                .add(one, "merged", 1, "bob", Duration.ofDays(2))
                .add(one, "opened", 2, "carol", Duration.ofHours(30))
                .add(two, "opened", 1, "dave", Duration.ofDays(4))
                .add(two, "closed", 1, "dave", Duration.ofHours(10))
                .add(two, "opened", 2, "erin", Duration.ofHours(20))
                .add(two, "merged", 2, "bob", Duration.ofHours(2))
                .add(two, "opened", 3, "alice", Duration.ofHours(1))
                .storedThroughTheFirehose();

        List<Map<String, Object>> repos = (List<Map<String, Object>>) get("/metrics/compare", "repos", one + "," + two,
                "days", 7).get("repositories");
        Map<String, Object> a = (Map<String, Object>) repos.get(0).get("pull_requests");
        Map<String, Object> b = (Map<String, Object>) repos.get(1).get("pull_requests");
        assertEquals(List.of(2L, 1L, 0L, 1L), List.of(normal(a.get("opened")), normal(a.get("merged")),
                normal(a.get("closed_unmerged")), normal(a.get("open"))));
        assertEquals(List.of(3L, 1L, 1L, 1L), List.of(normal(b.get("opened")), normal(b.get("merged")),
                normal(b.get("closed_unmerged")), normal(b.get("open"))));
        for (Map<String, Object> compared : List.of(a, b)) {
            Map<String, Object> alone = new LinkedHashMap<>(get("/metrics/pull-requests/" + compared.get("repository"),
                    "days", 7));
            alone.remove("history");
            assertFields(alone, compared); // the same clock: the same window
        }
    }

    static String prEvent(long id, String repo, String action, int number, String actor, Instant at) {
        return "{\"id\":\"" + id + "\",\"type\":\"PullRequestEvent\",\"actor\":{\"id\":" + Math.abs(actor.hashCode())
                + ",\"login\":\"" + actor + "\"},\"repo\":{\"id\":9,\"name\":\"" + repo + "\"},\"payload\":{\"action\":\""
                + action + "\",\"number\":" + number + ",\"pull_request\":{\"number\":" + number
                + "}},\"public\":true,\"created_at\":\"" + at + "\"}";
    }

    /** PullRequestEvents, ids from a range of their own, which the firehose's next poll stores. */
    private final class PullRequestEvents {
        private final List<String> events = new ArrayList<>();
        private long id = nextIds;

        PullRequestEvents() {
            nextIds += 1000;
        }

        PullRequestEvents add(String repo, String action, int number, String actor, Duration ago) {
            events.add(prEvent(id++, repo, action, number, actor, clock.instant().minus(ago)));
            return this;
        }

        void storedThroughTheFirehose() throws IOException {
            fake.route("/events", r -> FakeGitHub.ok("[" + String.join(",", events.reversed()) + "]"));
            firehoseOnce();
        }
    }

    private void firehoseOnce() throws IOException {
        java.nio.file.Files.delete(DIR.resolve("client-state.json"));
        firehose.reload();
        firehose.tick();
    }

    @Test
    void compareAnswersEachRepositoryInTheOrderAsked() throws IOException {
        // Numbered alike (1 to N over the same span), so that a row joined to the other repository's
        // item of the same number shows.
        GeneratedHistory a = history("cmp-a", 120, 40);
        GeneratedHistory b = history("cmp-b", 100, 40);
        watch(a.name);
        watch(b.name);
        tickUntilLoaded(a.name, 10);
        tickUntilLoaded(b.name, 10);
        String unknown = unique("cmp-none");
        Map<String, Object> c = get("/metrics/compare", "repos", b.name + "," + a.name + "," + unknown, "days", 60);
        List<Map<String, Object>> repos = (List<Map<String, Object>>) c.get("repositories");
        assertEquals(List.of(b.name, a.name, unknown), repos.stream().map(r -> r.get("repository")).toList());
        // Both loaded histories come from one query for both kinds: each repository's rows its own,
        // each row of its own kind.
        for (int i = 0; i < 2; i++) {
            GeneratedHistory h = i == 0 ? b : a;
            Map<String, Object> pr = (Map<String, Object>) repos.get(i).get("pull_requests");
            Instant from = Instant.parse((String) pr.get("from"));
            Instant to = Instant.parse((String) pr.get("to"));
            assertFields(LifecycleOracle.pullRequests(h, from, to, false), pr);
            assertFields(LifecycleOracle.issues(h, from, to, false), (Map<String, Object>) repos.get(i).get("issues"));
            assertEquals(h.items.getFirst().createdAt.toString(), pr.get("complete_since"), h.name);
        }
        assertEquals(false, ((Map<?, ?>) repos.get(2).get("issues")).get("complete"));

        // Each entry is, field by field, what the repository's own endpoints answer (another query), bots or not.
        for (boolean bots : new boolean[]{false, true}) {
            for (int days : new int[]{60, 365}) {
                List<Map<String, Object>> compared = (List<Map<String, Object>>) get("/metrics/compare", "repos",
                        b.name + "," + a.name, "days", days, "include_bots", bots).get("repositories");
                for (Map<String, Object> entry : compared) {
                    String name = (String) entry.get("repository");
                    assertEquals(get("/metrics/pull-requests/" + name, "days", days, "include_bots", bots),
                            entry.get("pull_requests"), name + " days=" + days + " include_bots=" + bots);
                    assertEquals(get("/metrics/issues/" + name, "days", days, "include_bots", bots),
                            entry.get("issues"), name + " days=" + days + " include_bots=" + bots);
                }
            }
        }
    }

    @Test
    void badParametersAreProblemsNamingTheRule() {
        String eleven = String.join(",", java.util.stream.IntStream.range(0, 11).mapToObj(i -> "o/r" + i).toList());
        for (String[] bad : new String[][]{
                {"/metrics/compare?repos=" + eleven, "at most 10"},
                {"/metrics/compare?repos=a/b,A/B", "twice"},
                {"/metrics/compare?repos=a/b,,c/d", "none empty"},
                {"/metrics/compare?repos=a", "owner/repo"},
                {"/metrics/compare", "repos is required"},
                {"/metrics/pull-requests/o/r?days=0", "days must be from 1 to 365; got \"0\""},
                {"/metrics/issues/o/r?days=366", "days must be from 1 to 365; got \"366\""},
                {"/metrics/compare?repos=a/b&days=x", "days must be a whole number from 1 to 365; got \"x\""},
                {"/metrics/issues/o/r?include_bots=yes", "include_bots must be true or false; got \"yes\""},
                {"/metrics/pull-requests/o/r?days=0&include_bots=yes", "days must be from 1 to 365"},
                {"/metrics/pull-requests/-o/r", "owner"}}) {
            given().get(bad[0]).then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString(bad[1]));
        }
        assertFalse(fake.requests().stream().anyMatch(r -> r.uri().contains("/-o/")), "no bad name reaches GitHub");
    }
}
