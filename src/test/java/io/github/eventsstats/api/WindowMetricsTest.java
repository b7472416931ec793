package io.github.eventsstats.api;

import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The answers over time windows of all repositories: events, visualization, top-repos and
 * user-sessions. This class owns `events` while it runs (each test starts from an empty table).
 * Windows of the last N minutes/days are relative to now, so events stay at least seconds away
 * from a window's edge, except in the explicit boundary test.
 */
@QuarkusTest
class WindowMetricsTest extends ApiTestBase {

    private Instant now;

    @BeforeEach
    void emptyTable() {
        truncateEvents();
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private Instant ago(Duration d) {
        return now.minus(d);
    }

    private static EventRow push(String repo, String actor, long pushId, Instant at) {
        EventRow e = of(EventType.PUSH, repo, actor, at);
        return new EventRow(e.eventId(), e.type(), e.repoId(), repo, e.actorId(), actor, "", at,
                new EventRow.Payload(0, false, pushId, "refs/heads/main", "a1", "b2", -1, "", "", "", 0, "", 0, "", ""));
    }

    private static EventRow of(String type, String repo, String actor, Instant at) {
        return event(type, repo, actor, type.equals(EventType.WATCH) ? "started" : "opened", at);
    }

    /** Counts by type of the rows with from <= created_at <= to, every type present. */
    private static Map<String, Integer> countByType(List<EventRow> rows, Instant from, Instant to) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String t : EventType.DEFAULTS) {
            counts.put(t, 0);
        }
        rows.stream().filter(r -> !r.createdAt().isBefore(from) && !r.createdAt().isAfter(to))
                .forEach(r -> counts.merge(r.type(), 1, Integer::sum));
        return counts;
    }

    private static JsonPath events(int offset) {
        return getOk("/metrics/events?offset=" + offset);
    }

    private static void assertEventCounts(List<EventRow> rows, int offset, JsonPath json) {
        Instant from = Instant.parse(json.getString("from"));
        Instant to = Instant.parse(json.getString("to"));
        assertEquals(offset, json.getInt("offset_minutes"));
        assertEquals(Duration.ofMinutes(offset), Duration.between(from, to));
        Map<String, Integer> expected = countByType(rows, from, to);
        assertEquals(expected, json.getMap("counts"), "offset " + offset);
        assertEquals(expected.values().stream().mapToInt(Integer::intValue).sum(), json.getInt("total"));
    }

    private List<EventRow> spreadOverHours() {
        return List.of(
                of(EventType.WATCH, "w-org/a", "ann", ago(Duration.ofSeconds(10))),
                of(EventType.PULL_REQUEST, "w-org/a", "ann", ago(Duration.ofMinutes(5))),
                of(EventType.ISSUES, "w-org/b", "bob", ago(Duration.ofMinutes(30))),
                of(EventType.WATCH, "w-org/b", "bob", ago(Duration.ofMinutes(59).plusSeconds(50))),
                of(EventType.WATCH, "w-org/c", "cy", ago(Duration.ofMinutes(61))),
                of(EventType.PULL_REQUEST, "w-org/c", "cy", ago(Duration.ofHours(3))),
                of(EventType.ISSUES, "w-org/c", "cy", ago(Duration.ofDays(200))));
    }

    @Test
    void eventsCountsEachTypeOfTheLastNMinutes() {
        List<EventRow> rows = spreadOverHours();
        write(rows);

        for (int offset : new int[] {1, 5, 60, 120, 1440, 525_600}) {
            assertEventCounts(rows, offset, events(offset));
        }
        JsonPath hour = events(60);
        assertEquals(Map.of("WatchEvent", 2, "PullRequestEvent", 1, "IssuesEvent", 1), hour.getMap("counts"));
    }

    @Test
    void eventsOfAnEmptyWindowAreAllZero() {
        write(List.of(of(EventType.WATCH, "w-org/old", "ann", ago(Duration.ofMinutes(10)))));

        JsonPath json = events(1);

        assertEquals(Map.of("WatchEvent", 0, "PullRequestEvent", 0, "IssuesEvent", 0), json.getMap("counts"));
        assertEquals(0, json.getInt("total"));
    }

    @Test
    void anEventExactlyOffsetMinutesOldIsCountedAndOneSecondOlderIsNot() {
        // One event per second around now - 10 minutes. The window starts at the service's clock minus
        // 10 minutes, to the second, which it reports as `from`: that second must hold an event, and so
        // must the one before it, whichever second the request landed on.
        int offset = 10;
        Instant edge = ago(Duration.ofMinutes(offset));
        List<EventRow> rows = new ArrayList<>();
        for (int s = -8; s <= 8; s++) {
            rows.add(of(EventType.DEFAULTS.get((s + 9) % 3), "edge-org/r", "ann", edge.plusSeconds(s)));
        }
        write(rows);

        JsonPath json = events(offset);

        Instant from = Instant.parse(json.getString("from"));
        assertTrue(rows.stream().anyMatch(r -> r.createdAt().equals(from)), "an event sits exactly on " + from);
        assertTrue(rows.stream().anyMatch(r -> r.createdAt().equals(from.minusSeconds(1))), "and one just outside");
        assertEventCounts(rows, offset, json);
        long inside = rows.stream().filter(r -> !r.createdAt().isBefore(from)).count();
        assertEquals(inside, json.getLong("total"));
    }

    @Test
    void reinsertedDuplicatesChangeNoWindowAnswer() {
        List<EventRow> rows = new ArrayList<>(spreadOverHours());
        rows.add(of(EventType.PULL_REQUEST, "w-org/a", "bob", ago(Duration.ofMinutes(31))));
        write(rows);
        // The part of each answer that does not move with the clock.
        String[][] paths = {{"/metrics/events?offset=60", "counts"}, {"/metrics/events?offset=525600", "counts"},
                {"/metrics/visualization?interval=minute&from=" + ago(Duration.ofHours(2)) + "&to=" + now.plusSeconds(60),
                        "series"},
                {"/metrics/top-repos?days=365", "repositories"}, {"/metrics/user-sessions?days=365&limit=1000", "sessions"}};
        List<Object> before = new ArrayList<>();
        for (String[] p : paths) {
            before.add(getOk(p[0]).get(p[1]));
        }

        reinsertDuplicates(rows);

        assertEquals(2L * rows.size(), storedRows(), "the copies are really stored");
        for (int i = 0; i < paths.length; i++) {
            assertEquals(before.get(i), getOk(paths[i][0]).get(paths[i][1]), paths[i][0]);
        }
        assertEquals(Map.of("WatchEvent", 2, "PullRequestEvent", 2, "IssuesEvent", 1), before.getFirst());
    }

    @Test
    void visualizationPlotsEveryBucketIncludingEmptyOnes() {
        Instant from = Instant.parse("2026-01-05T10:00:00Z");
        Instant to = Instant.parse("2026-01-05T16:00:00Z");
        List<EventRow> rows = List.of(
                of(EventType.WATCH, "v-org/a", "ann", from.minusSeconds(1)),          // before: out
                of(EventType.WATCH, "v-org/a", "ann", from),                          // first bucket
                of(EventType.WATCH, "v-org/b", "bob", from.plusSeconds(3599)),
                of(EventType.PULL_REQUEST, "v-org/a", "ann", from.plusSeconds(3600)),
                of(EventType.ISSUES, "v-org/a", "ann", from.plusSeconds(4 * 3600 + 5)),
                of(EventType.WATCH, "v-org/a", "cy", to.minusSeconds(1)),             // last bucket
                of(EventType.WATCH, "v-org/a", "cy", to));                            // end: out
        write(rows);

        JsonPath json = getOk("/metrics/visualization?interval=hour&from=2026-01-05T10:20:00Z&to=" + to);

        assertEquals("hour", json.getString("interval"));
        assertEquals(from.toString(), json.getString("from"), "from is rounded down to the hour");
        assertEquals(to.toString(), json.getString("to"));
        List<String> buckets = new ArrayList<>();
        Map<String, List<Integer>> series = new LinkedHashMap<>();
        for (String t : EventType.DEFAULTS) {
            series.put(t, new ArrayList<>(List.of(0, 0, 0, 0, 0, 0)));
        }
        for (int i = 0; i < 6; i++) {
            buckets.add(from.plusSeconds(3600L * i).toString());
        }
        for (EventRow r : rows) {
            long i = Math.floorDiv(r.createdAt().getEpochSecond() - from.getEpochSecond(), 3600);
            if (i >= 0 && i < 6) {
                series.get(r.type()).set((int) i, series.get(r.type()).get((int) i) + 1);
            }
        }
        assertEquals(buckets, json.getList("buckets"));
        assertEquals(series, json.getMap("series"));
        assertEquals(List.of(2, 0, 0, 0, 0, 1), series.get("WatchEvent"), "the test's own arithmetic");
    }

    @Test
    void visualizationDefaultsToTheLast24HoursByHour() {
        write(List.of(of(EventType.ISSUES, "v-org/a", "ann", ago(Duration.ofSeconds(5)))));

        JsonPath json = getOk("/metrics/visualization");

        assertEquals("hour", json.getString("interval"));
        List<String> buckets = json.getList("buckets");
        assertEquals(24, buckets.size());
        Instant last = Instant.parse(buckets.getLast());
        assertEquals(now.minusSeconds(5).truncatedTo(ChronoUnit.HOURS), last);
        assertEquals(1, json.getList("series.IssuesEvent", Integer.class).getLast());
        assertEquals(24, json.getList("series.WatchEvent").size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "interval=week                                              | interval",
            "interval=Hour                                              | interval",
            "from=yesterday                                             | from",
            "from=2026-01-05T10:00:00                                   | from",
            "from=1969-12-31T23:00:00Z&to=1970-01-01T01:00:00Z          | from",
            "to=2200-01-01T00:00:00Z&from=2199-12-31T00:00:00Z          | to",
            "from=2026-01-05T10:00:00Z&to=2026-01-05T10:00:00Z          | to",
            "from=2026-01-05T10:00:00Z&to=2026-01-05T09:00:00Z          | to",
            "interval=minute&from=2026-01-01T00:00:00Z&to=2026-01-02T00:01:00Z | from",
            "interval=day&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z    | from",
    })
    void badVisualizationWindowsAreRejected(String query, String parameter) {
        assertBadParameter(given().get("/metrics/visualization?" + query), parameter);
    }

    @Test
    void visualizationAcceptsItsLargestWindow() {
        JsonPath json = getOk("/metrics/visualization?interval=minute&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z");
        assertEquals(1440, json.getList("buckets").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "525601", "abc", "1.5", "1e3", "0x10", " 5", "+5x", "١٢",
            "99999999999999999999", "1;DROP TABLE events", "1' OR '1'='1", "５"})
    void badOffsetsAreRejected(String offset) {
        assertBadParameter(given().queryParam("offset", offset).get("/metrics/events"), "offset");
    }

    @Test
    void aMissingOrEmptyOffsetIsRejected() {
        assertBadParameter(given().get("/metrics/events"), "offset");
        assertBadParameter(given().get("/metrics/events?offset="), "offset");
    }

    @Test
    void topReposRanksRepositoriesOfTheLastDays() {
        List<EventRow> rows = List.of(
                of(EventType.WATCH, "t-org/a", "ann", ago(Duration.ofHours(1))),
                of(EventType.WATCH, "t-org/a", "bob", ago(Duration.ofHours(2))),
                of(EventType.PULL_REQUEST, "t-org/a", "ann", ago(Duration.ofHours(3))),
                of(EventType.ISSUES, "t-org/b", "cy", ago(Duration.ofHours(4))),
                of(EventType.ISSUES, "t-org/b", "cy", ago(Duration.ofHours(20))),
                of(EventType.PULL_REQUEST, "t-org/c", "dee", ago(Duration.ofMinutes(10))),
                of(EventType.WATCH, "t-org/c", "eve", ago(Duration.ofHours(30))),
                of(EventType.WATCH, "t-org/c", "fay", ago(Duration.ofHours(40))),
                of(EventType.WATCH, "t-org/c", "gus", ago(Duration.ofDays(3))),
                of(EventType.WATCH, "t-org/d", "hal", ago(Duration.ofDays(9))),
                push("t-org/b", "cy", 7001, ago(Duration.ofHours(5))),
                push("t-org/b", "cy", 7001, ago(Duration.ofHours(5))), // the same push under another event id
                push("t-org/b", "cy", 7002, ago(Duration.ofHours(6))),
                of("SponsorshipEvent", "t-org/b", "cy", ago(Duration.ofHours(7))));
        write(rows);

        for (int[] dl : new int[][] {{1, 10}, {2, 10}, {7, 10}, {7, 2}, {30, 1}, {365, 1000}}) {
            JsonPath json = getOk("/metrics/top-repos?days=" + dl[0] + "&limit=" + dl[1]);
            Instant from = Instant.parse(json.getString("from"));
            Instant to = Instant.parse(json.getString("to"));
            assertEquals(Duration.ofDays(dl[0]), Duration.between(from, to));
            assertEquals(expectedTopRepos(rows, from, to, dl[1]), json.getList("repositories"), "days " + dl[0]);
        }
    }

    private static List<Map<String, Object>> expectedTopRepos(List<EventRow> rows, Instant from, Instant to,
                                                              int limit) {
        Map<String, List<EventRow>> byRepo = rows.stream()
                .filter(r -> !r.createdAt().isBefore(from) && !r.createdAt().isAfter(to))
                .collect(Collectors.groupingBy(EventRow::repoName, TreeMap::new, Collectors.toList()));
        return byRepo.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, List<EventRow>> e) -> -e.getValue().size())
                        .thenComparing(Map.Entry::getKey))
                .limit(limit)
                .map(e -> {
                    List<EventRow> rs = e.getValue();
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("repo_name", e.getKey());
                    m.put("total_events", rs.size());
                    m.put("unique_users", (int) rs.stream().map(EventRow::actorLogin).distinct().count());
                    m.put("first_event_at", rs.stream().map(EventRow::createdAt).min(Instant::compareTo).orElseThrow().toString());
                    m.put("last_event_at", rs.stream().map(EventRow::createdAt).max(Instant::compareTo).orElseThrow().toString());
                    m.put("push_events", (int) rs.stream().filter(r -> r.type().equals(EventType.PUSH))
                            .map(r -> r.payload().pushId()).distinct().count());
                    Map<String, Integer> counts = new LinkedHashMap<>();
                    for (String t : EventType.DEFAULTS) {
                        counts.put(t, 0);
                    }
                    rs.stream().map(EventRow::type).sorted().forEach(t -> counts.merge(t, 1, Integer::sum));
                    m.put("counts", counts);
                    m.put("stars", null); // no enriched profile of these repositories
                    m.put("language", null);
                    return m;
                })
                .toList();
    }

    @Test
    void userSessionsSplitAfterMoreThanThirtyMinutesWithoutAnEvent() {
        Instant t = ago(Duration.ofHours(5));
        List<EventRow> rows = List.of(
                of(EventType.WATCH, "s-org/a", "ann", t),
                of(EventType.PULL_REQUEST, "s-org/b", "ann", t.plus(Duration.ofMinutes(10))),
                of(EventType.ISSUES, "s-org/a", "ann", t.plus(Duration.ofMinutes(40))),      // gap 30:00, same
                of(EventType.WATCH, "s-org/c", "ann", t.plus(Duration.ofMinutes(70)).plusSeconds(1)), // 30:01, new
                of(EventType.WATCH, "s-org/d", "ann", t.plus(Duration.ofMinutes(75))),
                of(EventType.WATCH, "s-org/a", "bob", t.plus(Duration.ofMinutes(20))),
                of(EventType.ISSUES, "s-org/a", "bob", t.plus(Duration.ofMinutes(21))),
                of(EventType.WATCH, "s-org/a", "cy", t.plus(Duration.ofMinutes(3))),
                of(EventType.WATCH, "s-org/a", "cy", ago(Duration.ofDays(3))));
        write(rows);

        for (String query : new String[] {"days=1", "days=1&limit=2", "days=7", "days=7&actor_login=ann",
                "days=1&actor_login=nobody"}) {
            JsonPath json = getOk("/metrics/user-sessions?" + query);
            Instant from = Instant.parse(json.getString("from"));
            Instant to = Instant.parse(json.getString("to"));
            int limit = json.getInt("limit");
            String actor = query.contains("actor_login=") ? query.substring(query.indexOf("actor_login=") + 12) : null;
            assertEquals(30, json.getInt("gap_minutes"));
            assertEquals(expectedSessions(rows, from, to, actor, limit), json.getList("sessions"), query);
        }
        assertEquals(List.of(3, 2, 2, 1), getOk("/metrics/user-sessions?days=1").getList(
                "sessions.events_in_session", Integer.class), "the test's own arithmetic");
    }

    /** Sessions by a plain walk over each actor's sorted events. */
    private static List<Map<String, Object>> expectedSessions(List<EventRow> rows, Instant from, Instant to,
                                                             String actor, int limit) {
        Map<String, List<Instant>> byActor = rows.stream()
                .filter(r -> !r.createdAt().isBefore(from) && !r.createdAt().isAfter(to))
                .filter(r -> actor == null || r.actorLogin().equals(actor))
                .collect(Collectors.groupingBy(EventRow::actorLogin, TreeMap::new,
                        Collectors.mapping(EventRow::createdAt, Collectors.toList())));
        List<Map<String, Object>> sessions = new ArrayList<>();
        byActor.forEach((login, times) -> {
            List<Instant> sorted = times.stream().sorted().toList();
            int start = 0;
            for (int i = 1; i <= sorted.size(); i++) {
                if (i == sorted.size() || Duration.between(sorted.get(i - 1), sorted.get(i)).getSeconds() > 1800) {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("actor_login", login);
                    s.put("session_start_at", sorted.get(start).toString());
                    s.put("session_end_at", sorted.get(i - 1).toString());
                    s.put("events_in_session", i - start);
                    sessions.add(s);
                    start = i;
                }
            }
        });
        sessions.sort(Comparator.comparing((Map<String, Object> s) -> -(Integer) s.get("events_in_session"))
                .thenComparing(s -> (String) s.get("session_start_at"), Comparator.reverseOrder())
                .thenComparing(s -> (String) s.get("actor_login")));
        return sessions.subList(0, Math.min(limit, sessions.size()));
    }

    @Test
    void windowEndpointsOfAnEmptyTableAnswerEmpty() {
        assertEquals(List.of(), getOk("/metrics/top-repos").getList("repositories"));
        assertEquals(List.of(), getOk("/metrics/user-sessions").getList("sessions"));
        assertEquals(0, getOk("/metrics/events?offset=525600").getInt("total"));
        JsonPath chart = getOk("/metrics/visualization?interval=day");
        assertEquals(30, chart.getList("buckets").size());
        for (String t : EventType.DEFAULTS) {
            assertTrue(chart.getList("series." + t, Integer.class).stream().allMatch(n -> n == 0));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/metrics/top-repos?days=0          | days",
            "/metrics/top-repos?days=366        | days",
            "/metrics/top-repos?days=x          | days",
            "/metrics/top-repos?limit=0         | limit",
            "/metrics/top-repos?limit=1001      | limit",
            "/metrics/top-repos?limit=-5        | limit",
            "/metrics/user-sessions?days=0      | days",
            "/metrics/user-sessions?days=1.5    | days",
            "/metrics/user-sessions?limit=1001  | limit",
            "/metrics/user-sessions?actor_login=-ann        | actor_login",
            "/metrics/user-sessions?actor_login=ännä        | actor_login",
            "/metrics/user-sessions?actor_login=a'OR'1'='1 | actor_login",
    })
    void badWindowParametersAreRejected(String path, String parameter) {
        assertBadParameter(given().get(path), parameter);
    }
}
