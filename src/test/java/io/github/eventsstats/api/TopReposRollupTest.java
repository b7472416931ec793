package io.github.eventsstats.api;

import com.clickhouse.client.api.query.GenericRecord;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventType;
import io.github.eventsstats.metrics.MetricsQueries;
import io.github.eventsstats.metrics.MetricsStore;
import io.github.eventsstats.metrics.TopRepoBounds;
import io.github.eventsstats.rollup.HourlyRollup;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * top-repos over windows holding whole hours reads the sealed hours from repo_hourly (V023) and
 * the rest from `events`; whatever the hours' state (counted, written into since, holding raced
 * copies), the answer equals the one read from `events` alone, ties and order included. This
 * class owns `events` while it runs.
 */
@QuarkusTest
class TopReposRollupTest extends ApiTestBase {

    private static final String[] ACTIONS = {"opened", "closed", "reopened"};

    @Inject
    HourlyRollup rollup;
    @Inject
    MetricsStore metrics;

    private Instant now;
    private Instant hourStart;

    @BeforeEach
    void emptyTable() {
        truncateEvents();
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        hourStart = now.truncatedTo(ChronoUnit.HOURS);
    }

    /**
     * Events over the last 3 days (about {@code perHour} an hour) and in the open hour:
     * {@code repos} repositories, the first few far busier when {@code skewed}, a small pool of
     * actors (so that counts tie), pushes of which some are delivered twice under another event id.
     */
    private List<EventRow> generated(int repos, int perHour, boolean skewed, long seed) {
        Random random = new Random(seed);
        List<EventRow> rows = new ArrayList<>();
        long pushes = uniqueId() * 10;
        for (int h = 0; h <= 72; h++) {
            Instant hour = hourStart.minus(Duration.ofHours(h));
            int n = h == 0 ? (int) Math.min(20, Duration.between(hourStart, now).toSeconds() / 2) : perHour / 2 + random.nextInt(perHour);
            for (int i = 0; i < n; i++) {
                int repo = skewed ? (int) (repos * Math.pow(random.nextDouble(), 3)) : random.nextInt(repos);
                Instant at = hour.plusSeconds(random.nextInt(h == 0 ? Math.max(1, (int) Duration.between(hourStart, now).toSeconds()) : 3600));
                String actor = "user-" + random.nextInt(12);
                String name = "top-org/repo-" + repo;
                int kind = random.nextInt(10);
                if (kind < 2) {
                    long push = random.nextInt(4) == 0 && pushes > 0 ? pushes : ++pushes; // some pushes twice
                    rows.add(new EventRow(uniqueId(), EventType.PUSH, repo, name, actor.hashCode() & 0xffff, actor, "", at,
                            new EventRow.Payload(0, false, push, "refs/heads/main", "a1", "b2", -1, "", "", "", 0, "", 0, "", "")));
                } else {
                    String type = EventType.DEFAULTS.get(kind % EventType.DEFAULTS.size());
                    String action = type.equals(EventType.WATCH) ? "started" : ACTIONS[random.nextInt(ACTIONS.length)];
                    rows.add(event(type, name, actor, action, at));
                }
            }
        }
        return rows;
    }

    private long countHours() {
        return rollup.countChangedHours(Duration.ZERO, (n, last) -> { });
    }

    /** The windows compared: mid-hour edges, one-hour-aligned, the open hour, a year. */
    private List<Instant[]> windows() {
        return List.of(
                new Instant[] {hourStart.minus(Duration.ofHours(50)).plusSeconds(1043), now.minusSeconds(1)},
                new Instant[] {hourStart.minus(Duration.ofHours(30)), hourStart.minusSeconds(1)},
                new Instant[] {hourStart.minus(Duration.ofHours(71)).plusSeconds(7), hourStart.minus(Duration.ofHours(3)).plusSeconds(1800)},
                new Instant[] {now.minus(Duration.ofDays(365)), now});
    }

    /** Every window's rolled-up answer, at several limits, against the events-only SQL. */
    private void assertSameAsEvents(String when) {
        for (Instant[] w : windows()) {
            for (int limit : new int[] {1, 3, 10, 1000}) {
                assertEquals(fromEvents(w[0], w[1], limit), render(metrics.topRepos(w[0], w[1], limit)),
                        when + ": window " + w[0] + " .. " + w[1] + ", limit " + limit);
            }
        }
    }

    /** What top-repos answered before the rollup: {@link MetricsQueries#TOP_REPOS} over `events FINAL`. */
    private List<String> fromEvents(Instant from, Instant to, int limit) {
        List<String> rows = new ArrayList<>();
        for (GenericRecord r : clickHouse.query(MetricsQueries.TOP_REPOS,
                Map.of("from", ClickHouse.dateTime(from), "to", ClickHouse.dateTime(to), "limit", limit,
                        "expired_before", ClickHouse.dateTime(Instant.EPOCH)))) {
            Map<String, Long> counts = new TreeMap<>();
            ((Map<?, ?>) r.getObject("by_type")).forEach((t, n) -> counts.put(t.toString(), ((Number) n).longValue()));
            rows.add(String.join(" ", r.getString("repo_name"), r.getString("total_events"), r.getString("unique_users"),
                    r.getInstant("first_event_at").toString(), r.getInstant("last_event_at").toString(),
                    r.getString("push_events"), counts.toString()));
        }
        return rows;
    }

    private static List<String> render(List<MetricsStore.RepoActivity> repos) {
        return repos.stream().map(a -> {
            Map<String, Long> counts = new TreeMap<>(a.counts());
            counts.values().removeIf(n -> n == 0); // the defaults, listed even at 0
            return String.join(" ", a.repoName(), String.valueOf(a.totalEvents()), String.valueOf(a.uniqueUsers()),
                    a.firstEventAt().toString(), a.lastEventAt().toString(), String.valueOf(a.pushEvents()), counts.toString());
        }).toList();
    }

    /** Whether the per-hour lists settle the top {@code limit} of the window (no summing of every repository). */
    private boolean settledByBounds(Instant from, Instant to, int limit) {
        return TopRepoBounds.candidates(metrics.topRepoBounds(MetricsStore.topReposParams(from, to.plusSeconds(1))),
                limit, HourlyRollup.TOP_PER_HOUR).isPresent();
    }

    @Test
    void skewedRepositoriesAreFoundFromTheHourlyListsAndEqualTheEventsOnlyAnswer() {
        List<EventRow> rows = generated(400, 25, true, 16);
        write(rows);
        assertSameAsEvents("no hour counted");

        assertTrue(countHours() >= 72, "the hours written are counted");
        Instant[] year = windows().getLast();
        assertTrue(settledByBounds(year[0], year[1], 3), "a few busy repositories are settled by the bounds");
        assertSameAsEvents("counted");

        reinsertDuplicates(rows);
        assertSameAsEvents("raced copies in counted hours");
        countHours();
        assertSameAsEvents("counted again with the copies");

        // A recount that failed after writing: the hours' rollup rows twice at the same version.
        clickHouse.execute("INSERT INTO repo_hourly_detail SELECT * FROM repo_hourly_detail");
        assertSameAsEvents("rollup rows written twice");

        // late events into counted hours, one of them making a quiet repository the busiest of its hour
        List<EventRow> late = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            late.add(event(EventType.WATCH, "top-org/late", "user-" + (i % 5), "started",
                    hourStart.minus(Duration.ofHours(20)).plusSeconds(60L * i)));
        }
        write(late);
        assertSameAsEvents("written into counted hours since");
        countHours();
        assertSameAsEvents("those hours counted again");
    }

    @Test
    void evenlySpreadRepositoriesAreSummedFromTheRollupAndEqualTheEventsOnlyAnswer() {
        List<EventRow> rows = generated(2000, 4 * HourlyRollup.TOP_PER_HOUR, false, 17);
        write(rows);
        countHours();
        Instant[] year = windows().getLast();
        assertFalse(settledByBounds(year[0], year[1], 10), "no repository stands out: the window is summed");
        assertSameAsEvents("counted, summed");
        reinsertDuplicates(rows);
        assertSameAsEvents("raced copies, summed");
    }

    @Test
    void theOpenPartAcrossRepositoriesIsReadByTimeThroughTheProjection() {
        // Enough rows, merged, that a time range reads fewer granules of the projection than of
        // the table (the engine reads whichever has fewer).
        write(generated(400, 1000, true, 20));
        clickHouse.execute("OPTIMIZE TABLE events FINAL");
        countHours();
        Instant from = now.minus(Duration.ofDays(2)).plusSeconds(1234); // a first, partial hour with events
        Map<String, Object> params = MetricsStore.topReposParams(from, now.plusSeconds(1));
        for (String sql : List.of(MetricsQueries.TOP_REPOS_BOUNDS, MetricsQueries.TOP_REPOS_SUMMED)) {
            Map<String, Object> p = new java.util.HashMap<>(params);
            p.put("limit", 10);
            // (force_optimize_projection_name says "not used" for these plans, which do read it)
            List<String> plan = clickHouse.query("EXPLAIN projections = 1 " + sql, p).stream().map(r -> r.getString(1)).toList();
            assertTrue(plan.stream().anyMatch(l -> l.contains("ReadFromMergeTree (by_time_repo)")), String.join("\n", plan));
        }
        assertEquals(fromEvents(from, now, 10), render(metrics.topRepos(from, now, 10)));
    }

    @Test
    void yearEndpointKeepsItsShapeAndCoverage() {
        write(generated(40, 25, true, 18));
        countHours();
        JsonPath json = getOk("/metrics/top-repos?days=365&limit=5");
        Instant from = Instant.parse(json.getString("from"));
        Instant to = Instant.parse(json.getString("to"));
        List<Map<String, Object>> repos = json.getList("repositories");
        List<String> expected = fromEvents(from, to, 5);
        assertEquals(expected.size(), repos.size());
        for (int i = 0; i < repos.size(); i++) {
            assertTrue(expected.get(i).startsWith(repos.get(i).get("repo_name") + " " + repos.get(i).get("total_events") + " "
                    + repos.get(i).get("unique_users") + " "), expected.get(i) + " vs " + repos.get(i));
        }
        assertTrue(json.getMap("coverage") != null && !json.getMap("coverage").isEmpty(), "coverage is kept");
        assertEquals(List.of("WatchEvent", "PullRequestEvent", "IssuesEvent"),
                new ArrayList<>(json.getMap("repositories[0].counts").keySet()).subList(0, 3));
    }
}
