package io.github.eventsstats.api;

import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The per-repository answers: pr-average, event-avg-time with a repository, debug/repo-events. */
@QuarkusTest
class RepositoryMetricsTest extends ApiTestBase {

    private static final Instant T0 = Instant.parse("2026-02-10T09:00:00Z");

    /** The mean of the gaps between consecutive times, gap by gap. */
    private static Double meanGap(List<Instant> times) {
        if (times.size() < 2) {
            return null;
        }
        List<Instant> sorted = times.stream().sorted().toList();
        double sum = 0;
        for (int i = 1; i < sorted.size(); i++) {
            sum += sorted.get(i).getEpochSecond() - sorted.get(i - 1).getEpochSecond();
        }
        return sum / (sorted.size() - 1);
    }

    private static JsonPath prAverage(String repository) {
        return getOk("/metrics/pr-average/" + repository);
    }

    private static void assertPrAverage(String repository, List<Instant> opened, JsonPath json) {
        assertEquals(repository, json.getString("repository"));
        assertEquals(opened.size(), json.getLong("pr_count"));
        Double expected = meanGap(opened);
        if (expected == null) {
            assertNull(json.get("average_seconds"));
        } else {
            assertEquals(expected, json.getDouble("average_seconds"), 1e-6);
        }
        String first = opened.stream().min(Instant::compareTo).map(Instant::toString).orElse(null);
        String last = opened.stream().max(Instant::compareTo).map(Instant::toString).orElse(null);
        assertEquals(first, json.getString("first_opened_at"));
        assertEquals(last, json.getString("last_opened_at"));
    }

    @Test
    void prAverageIsTheMeanGapBetweenOpenedPullRequestsOfTheRepository() {
        String repo = uniqueRepo("avg-org");
        List<Instant> opened = List.of(T0.plusSeconds(4000), T0, T0.plusSeconds(600), T0.plusSeconds(1801),
                T0.plusSeconds(86_400 * 3 + 17));
        List<EventRow> rows = new ArrayList<>();
        opened.forEach(t -> rows.add(pr(repo, "opened", t)));
        rows.add(pr(repo, "closed", T0.plusSeconds(99_999)));
        rows.add(pr(repo, "reopened", T0.minusSeconds(5000)));
        rows.add(event(EventType.ISSUES, repo, "octocat", "opened", T0.minusSeconds(7000)));
        rows.add(event(EventType.WATCH, repo, "octocat", "started", T0.plusSeconds(999_999)));
        rows.add(pr(uniqueRepo("avg-org"), "opened", T0.minusSeconds(86_400)));
        write(rows);

        assertPrAverage(repo, opened, prAverage(repo));
    }

    @Test
    void twoPullRequestsAverageTheirGap() {
        String repo = uniqueRepo("two-org");
        List<Instant> opened = List.of(T0.plusSeconds(1234), T0);
        write(opened.stream().map(t -> pr(repo, "opened", t)).toList());

        JsonPath json = prAverage(repo);

        assertPrAverage(repo, opened, json);
        assertEquals(1234.0, json.getDouble("average_seconds"));
    }

    @Test
    void onePullRequestHasNoAverage() {
        String repo = uniqueRepo("one-org");
        write(List.of(pr(repo, "opened", T0)));

        JsonPath json = prAverage(repo);

        assertPrAverage(repo, List.of(T0), json);
        assertNull(json.get("average_seconds"));
    }

    @Test
    void aValidRepositoryWithoutPullRequestsHasCountZero() {
        String repo = uniqueRepo("empty-org");
        write(List.of(pr(repo, "closed", T0), event(EventType.WATCH, repo, "octocat", "started", T0)));

        JsonPath json = prAverage(repo);

        assertPrAverage(repo, List.of(), json);
        assertPrAverage("never-seen/anything", List.of(), prAverage("never-seen/anything"));
    }

    @Test
    void reinsertedDuplicatesChangeNoAnswer() {
        String repo = uniqueRepo("dup-org");
        List<Instant> opened = List.of(T0, T0.plusSeconds(300), T0.plusSeconds(900));
        List<EventRow> rows = new ArrayList<>(opened.stream().map(t -> pr(repo, "opened", t)).toList());
        rows.add(pr(repo, "closed", T0.plusSeconds(1000)));
        write(rows);
        JsonPath avgBefore = getOk("/metrics/event-avg-time?repository_name=" + repo);
        JsonPath totalsBefore = getOk("/metrics/events-total-count?repository_name=" + repo);

        reinsertDuplicates(rows);

        JsonPath counts = getOk("/debug/repo-events/" + repo);
        assertEquals(2L * rows.size(), counts.getLong("stored_rows"), "the copies are really stored");
        assertEquals(rows.size(), counts.getLong("total_events"));
        assertPrAverage(repo, opened, prAverage(repo));
        assertEquals(avgBefore.getMap("$"), getOk("/metrics/event-avg-time?repository_name=" + repo).getMap("$"));
        assertEquals(4, avgBefore.getLong("event_count"));
        assertEquals(totalsBefore.getMap("$"), getOk("/metrics/events-total-count?repository_name=" + repo).getMap("$"));
        assertEquals(Map.of("WatchEvent", 0, "PullRequestEvent", 4, "IssuesEvent", 0), totalsBefore.getMap("counts"));
    }

    @Test
    void eventAvgTimeAppliesEachFilter() {
        String repo = uniqueRepo("gap-org");
        List<EventRow> rows = List.of(
                pr(repo, "opened", T0),
                pr(repo, "opened", T0.plusSeconds(100)),
                pr(repo, "closed", T0.plusSeconds(250)),
                event(EventType.ISSUES, repo, "hubot", "opened", T0.plusSeconds(40)),
                event(EventType.ISSUES, repo, "hubot", "opened", T0.plusSeconds(1000)),
                event(EventType.WATCH, repo, "monalisa", "started", T0.plusSeconds(7)),
                event(EventType.WATCH, uniqueRepo("gap-org"), "monalisa", "started", T0.minusSeconds(50)));
        write(rows);

        for (String[] filter : new String[][] {{"", ""}, {"PullRequestEvent", ""}, {"PullRequestEvent", "opened"},
                {"", "opened"}, {"IssuesEvent", "closed"}}) {
            List<Instant> expected = rows.stream()
                    .filter(r -> r.repoName().equals(repo))
                    .filter(r -> filter[0].isEmpty() || r.type().equals(filter[0]))
                    .filter(r -> filter[1].isEmpty() || r.action().equals(filter[1]))
                    .map(EventRow::createdAt).toList();
            JsonPath json = ok(given().queryParam("repository_name", repo)
                    .queryParam("event_type", filter[0]).queryParam("action", filter[1])
                    .get("/metrics/event-avg-time"));
            String what = String.join(",", filter);
            assertEquals(repo, json.getString("repository_name"), what);
            assertEquals(filter[0].isEmpty() ? null : filter[0], json.getString("event_type"), what);
            assertEquals(filter[1].isEmpty() ? null : filter[1], json.getString("action"), what);
            assertEquals(expected.size(), json.getLong("event_count"), what);
            Double mean = meanGap(expected);
            if (mean == null) {
                assertNull(json.get("average_seconds"), what);
            } else {
                assertEquals(mean, json.getDouble("average_seconds"), 1e-6, what);
            }
        }
    }

    @Test
    void namesAtTheirLongestAreAccepted() {
        String owner = "o".repeat(38) + "-";
        String repo = "r".repeat(40) + "._-" + "9".repeat(57);
        JsonPath json = prAverage(owner + "/" + repo);
        assertEquals(owner + "/" + repo, json.getString("repository"));
        assertEquals(0, json.getLong("pr_count"));
        assertEquals(0, getOk("/debug/repo-events/" + owner + "/" + repo).getLong("total_events"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-leading-hyphen | repo   | owner",
            "o2345678901234567890123456789012345678x0 | repo | owner",
            "under_score     | repo   | owner",
            "dot.ted         | repo   | owner",
            "spa ce          | repo   | owner",
            "quo'te          | repo   | owner",
            "x';DROP TABLE events;--| repo | owner",
            "ünïcödé         | repo   | owner",
            "名前             | repo   | owner",
            "owner           | re po  | repo",
            "owner           | r'); DROP TABLE events; -- | repo",
            "owner           | repo\" OR \"1\"=\"1 | repo",
            "owner           | 😀     | repo",
            "owner           | ﬁle    | repo",
            "owner           | a%b    | repo",
            "owner           | a*b    | repo",
            "owner           | r234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890x | repo",
    })
    void badNamesAreRejectedNamingTheParameter(String owner, String repo, String parameter) {
        assertBadParameter(given().get("/metrics/pr-average/{owner}/{repo}", owner, repo), parameter);
        assertBadParameter(given().get("/debug/repo-events/{owner}/{repo}", owner, repo), parameter);
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-slash", "a/b/c", "/repo", "owner/", "-x/repo", "ünï/repo", "owner/r'--",
            "o/r' OR '1'='1", "o/r;DROP TABLE events"})
    void badRepositoryNameFiltersAreRejected(String value) {
        assertBadParameter(given().queryParam("repository_name", value).get("/metrics/event-avg-time"),
                "repository_name");
        assertBadParameter(given().queryParam("repository_name", value).get("/metrics/events-total-count"),
                "repository_name");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "event_type | Watch",
            "event_type | watchevent",
            "event_type | WatchEvent' OR 1=1",
            "action     | Opened",
            "action     | opened;drop",
            "action     | ôpened",
            "action     | abcdefghijklmnopqrstuvwxyzabcdefgh",
    })
    void badEventAvgTimeFiltersAreRejected(String parameter, String value) {
        assertBadParameter(given().queryParam(parameter, value).get("/metrics/event-avg-time"), parameter);
    }
}
