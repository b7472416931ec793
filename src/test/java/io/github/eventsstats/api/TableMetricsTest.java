package io.github.eventsstats.api;

import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The answers over the whole table: events-total-count, multiple-events-repos, event-avg-time
 * without filters and debug/total-events. This class owns `events` while it runs.
 */
@QuarkusTest
class TableMetricsTest extends ApiTestBase {

    private static final Instant T0 = Instant.parse("2025-12-01T00:00:00Z");

    @BeforeEach
    void emptyTable() {
        truncateEvents();
    }

    /** Repository r-k gets k pull requests, so counts are 1, 2, 3, ... and every action appears. */
    private static List<EventRow> rows() {
        List<EventRow> rows = new ArrayList<>();
        for (int k = 1; k <= 5; k++) {
            for (int i = 0; i < k; i++) {
                rows.add(pr("tbl-org/r-" + k, i % 2 == 0 ? "opened" : "closed", T0.plusSeconds(k * 1000L + i * 7)));
            }
            rows.add(event(EventType.WATCH, "tbl-org/r-" + k, "ann", "started", T0.plusSeconds(k * 13L)));
        }
        rows.add(event(EventType.ISSUES, "tbl-org/r-1", "bob", "opened", T0.minusSeconds(86_400 * 40)));
        rows.add(event(EventType.ISSUES, "tbl-org/r-2", "bob", "reopened", T0.plusSeconds(86_400 * 40)));
        return rows;
    }

    private static Map<String, Integer> countByType(List<EventRow> rows, Predicate<EventRow> filter) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String t : EventType.DEFAULTS) {
            counts.put(t, (int) rows.stream().filter(filter).filter(r -> r.type().equals(t)).count());
        }
        return counts;
    }

    @Test
    void eventsTotalCountGroupsByTypeWithOptionalFilters() {
        List<EventRow> rows = rows();
        write(rows);

        for (String[] f : new String[][] {{"", ""}, {"opened", ""}, {"", "tbl-org/r-2"}, {"closed", "tbl-org/r-4"},
                {"started", "tbl-org/r-9"}}) {
            JsonPath json = ok(given().queryParam("action", f[0]).queryParam("repository_name", f[1])
                    .get("/metrics/events-total-count"));
            Map<String, Integer> expected = countByType(rows, r -> (f[0].isEmpty() || r.action().equals(f[0]))
                    && (f[1].isEmpty() || r.repoName().equals(f[1])));
            String what = String.join(",", f);
            assertEquals(expected, json.getMap("counts"), what);
            assertEquals(expected.values().stream().mapToInt(Integer::intValue).sum(), json.getInt("total"), what);
            assertEquals(f[0].isEmpty() ? null : f[0], json.getString("action"), what);
        }
    }

    @Test
    void multipleEventsReposListsRepositoriesWithMoreThanMinCount() {
        List<EventRow> rows = rows();
        write(rows);

        for (String query : new String[] {"event_type=PullRequestEvent", "event_type=PullRequestEvent&min_count=3",
                "event_type=PullRequestEvent&min_count=0&limit=2", "event_type=WatchEvent&min_count=0",
                "event_type=IssuesEvent", "event_type=PullRequestEvent&min_count=5"}) {
            JsonPath json = getOk("/metrics/multiple-events-repos?" + query);
            String type = json.getString("event_type");
            long min = json.getLong("min_count");
            int limit = json.getInt("limit");
            Map<String, Long> counts = rows.stream().filter(r -> r.type().equals(type))
                    .collect(Collectors.groupingBy(EventRow::repoName, Collectors.counting()));
            List<String> expectedOrder = counts.entrySet().stream().filter(e -> e.getValue() > min)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(limit).map(Map.Entry::getKey).toList();
            Map<String, Object> answer = json.getMap("repositories");
            assertEquals(expectedOrder, new ArrayList<>(answer.keySet()), query + ": names, in order");
            expectedOrder.forEach(name -> assertEquals(counts.get(name).intValue(), answer.get(name), query + " " + name));
        }
        JsonPath defaults = getOk("/metrics/multiple-events-repos?event_type=PullRequestEvent");
        assertEquals(1, defaults.getInt("min_count"));
        assertEquals(100, defaults.getInt("limit"));
        assertEquals(List.of("tbl-org/r-5", "tbl-org/r-4", "tbl-org/r-3", "tbl-org/r-2"),
                new ArrayList<>(defaults.getMap("repositories").keySet()));
    }

    @Test
    void eventAvgTimeWithoutFiltersCoversTheWholeTable() {
        List<EventRow> rows = rows();
        write(rows);

        JsonPath json = getOk("/metrics/event-avg-time");

        List<Instant> times = rows.stream().map(EventRow::createdAt).sorted().toList();
        double sum = 0;
        for (int i = 1; i < times.size(); i++) {
            sum += times.get(i).getEpochSecond() - times.get(i - 1).getEpochSecond();
        }
        assertEquals(rows.size(), json.getInt("event_count"));
        assertEquals(sum / (times.size() - 1), json.getDouble("average_seconds"), 1e-6);
        assertEquals(times.getFirst().toString(), json.getString("first_event_at"));
        assertEquals(times.getLast().toString(), json.getString("last_event_at"));
        assertNull(json.get("event_type"));
    }

    @Test
    void reinsertedDuplicatesChangeNoWholeTableAnswer() {
        List<EventRow> rows = rows();
        write(rows);
        String[] paths = {"/metrics/events-total-count", "/metrics/events-total-count?action=opened",
                "/metrics/multiple-events-repos?event_type=PullRequestEvent&min_count=0",
                "/metrics/event-avg-time", "/metrics/event-avg-time?event_type=WatchEvent"};
        List<Map<String, Object>> before = new ArrayList<>();
        for (String p : paths) {
            before.add(getOk(p).getMap("$"));
        }
        assertEquals(Map.of("total_events", rows.size(), "stored_rows", rows.size()),
                getOk("/debug/total-events").getMap("$"));

        reinsertDuplicates(rows);

        assertEquals(Map.of("total_events", rows.size(), "stored_rows", 2 * rows.size()),
                getOk("/debug/total-events").getMap("$"), "the copies are stored, and not counted");
        for (int i = 0; i < paths.length; i++) {
            assertEquals(before.get(i), getOk(paths[i]).getMap("$"), paths[i]);
        }
    }

    @Test
    void anEmptyTableAnswersZeroEverywhere() {
        Map<String, Integer> zeros = Map.of("WatchEvent", 0, "PullRequestEvent", 0, "IssuesEvent", 0);
        assertEquals(zeros, getOk("/metrics/events-total-count").getMap("counts"));
        assertEquals(Map.of(), getOk("/metrics/multiple-events-repos?event_type=WatchEvent&min_count=0")
                .getMap("repositories"));
        JsonPath gaps = getOk("/metrics/event-avg-time");
        assertEquals(0, gaps.getInt("event_count"));
        assertNull(gaps.get("average_seconds"));
        assertNull(gaps.get("first_event_at"));
        assertEquals(Map.of("total_events", 0, "stored_rows", 0), getOk("/debug/total-events").getMap("$"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/metrics/multiple-events-repos                                    | event_type",
            "/metrics/multiple-events-repos?event_type=                        | event_type",
            "/metrics/multiple-events-repos?event_type=ForkEvents              | event_type",
            "/metrics/multiple-events-repos?event_type=WatchEvent%3BDROP       | event_type",
            "/metrics/multiple-events-repos?event_type=WatchEvent&min_count=-1 | min_count",
            "/metrics/multiple-events-repos?event_type=WatchEvent&min_count=1000000001 | min_count",
            "/metrics/multiple-events-repos?event_type=WatchEvent&min_count=two | min_count",
            "/metrics/multiple-events-repos?event_type=WatchEvent&limit=0      | limit",
            "/metrics/multiple-events-repos?event_type=WatchEvent&limit=1001   | limit",
            "/metrics/events-total-count?action=OPENED                         | action",
            "/metrics/events-total-count?action=open%20ed                      | action",
    })
    void badTableParametersAreRejected(String path, String parameter) {
        assertBadParameter(given().urlEncodingEnabled(false).get(path), parameter);
    }
}
