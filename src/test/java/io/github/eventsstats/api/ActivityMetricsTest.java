package io.github.eventsstats.api;

import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The endpoints the dashboard reads beyond the metrics, and the pages themselves. */
@QuarkusTest
class ActivityMetricsTest extends ApiTestBase {

    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void recentEventsAreTheNewestFirstEachOnceEvenWithACopyAwaitingAMerge() {
        truncateEvents();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<EventRow> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            rows.add(event(EventType.DEFAULTS.get(i % 3), "recent/r-" + (i % 4), "ann", "opened", now.minusSeconds(i * 7L)));
        }
        rows.add(event(EventType.WATCH, "recent/old", "bob", "started", now.minus(Duration.ofDays(3))));
        write(rows);
        reinsertDuplicates(rows);

        JsonPath json = getOk("/metrics/recent-events?limit=5");
        assertEquals(5, json.getInt("limit"));
        List<Long> expected = rows.stream().sorted(Comparator.comparing(EventRow::createdAt).reversed()
                        .thenComparing(Comparator.comparingLong(EventRow::eventId).reversed()))
                .limit(5).map(EventRow::eventId).toList();
        assertEquals(expected, json.getList("events.event_id", Long.class));
        assertEquals(rows.getFirst().repoName(), json.getString("events[0].repo_name"));
        assertEquals(rows.getFirst().createdAt().toString(), json.getString("events[0].created_at"));
        assertEquals(50, getOk("/metrics/recent-events").getList("events").size(), "50 by default");
    }

    @Test
    void aRowDatedInTheFutureCannotTakeTheRecentWindowOver() {
        truncateEvents();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<EventRow> rows = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            rows.add(event(EventType.WATCH, "recent/now-" + i, "ann", "started", now.minus(Duration.ofMinutes(i))));
        }
        write(rows);
        // As stored before ingest set such rows aside: created_at 2162 once wrapped to a year ahead.
        store.insert(List.of(event(EventType.WATCH, "recent/future", "eve", "started", now.plus(Duration.ofDays(365)))),
                "future-" + uniqueId());

        JsonPath json = getOk("/metrics/recent-events?limit=10");

        assertEquals(rows.stream().map(EventRow::eventId).toList(), json.getList("events.event_id", Long.class));
    }

    @Test
    void recentEventsRejectALimitOutOfBounds() {
        assertBadParameter(given().get("/metrics/recent-events?limit=0"), "limit");
        assertBadParameter(given().get("/metrics/recent-events?limit=1001"), "limit");
    }

    @Test
    void prOpeningsCountOneRepositorysOpenedPullRequestsPerDay() {
        String repo = uniqueRepo("openings");
        write(List.of(
                pr(repo, "opened", T0), pr(repo, "opened", T0.plusSeconds(3600 * 5)),
                pr(repo, "closed", T0.plusSeconds(60)),
                pr(repo, "opened", T0.plus(Duration.ofDays(2))),
                pr(uniqueRepo("other"), "opened", T0)));

        JsonPath day = getOk("/metrics/pr-openings/" + repo);
        assertEquals("day", day.getString("interval"));
        assertEquals(List.of("2026-11-20T00:00:00Z", "2026-11-22T00:00:00Z"), day.getList("buckets"));
        assertEquals(List.of(2L, 1L), day.getList("opened", Long.class));
        JsonPath hour = getOk("/metrics/pr-openings/" + repo + "?interval=hour");
        assertEquals(List.of(1L, 1L, 1L), hour.getList("opened", Long.class));
        assertEquals(List.of(), getOk("/metrics/pr-openings/" + uniqueRepo("none")).getList("buckets"));
    }

    @Test
    void prOpeningsRejectABadRepositoryOrInterval() {
        assertBadParameter(given().get("/metrics/pr-openings/-bad/repo"), "owner");
        assertBadParameter(given().get("/metrics/pr-openings/octocat/repo?interval=week"), "interval");
    }

    @Test
    void eventGapsAreEachTimeBetweenAdjacentMatchingEventsOldestFirst() {
        String repo = uniqueRepo("gaps");
        write(List.of(
                pr(repo, "opened", T0), pr(repo, "opened", T0.plusSeconds(10)), pr(repo, "opened", T0.plusSeconds(70)),
                pr(repo, "opened", T0.plusSeconds(370)), pr(repo, "closed", T0.plusSeconds(20))));

        JsonPath all = getOk("/metrics/event-gaps?event_type=PullRequestEvent&action=opened&repository_name=" + repo);
        assertEquals(List.of(10L, 60L, 300L), all.getList("gaps", Long.class));
        assertEquals(List.of(T0.plusSeconds(10).toString(), T0.plusSeconds(70).toString(), T0.plusSeconds(370).toString()),
                all.getList("at"));
        assertEquals("opened", all.getString("action"));
        JsonPath newest = getOk("/metrics/event-gaps?action=opened&limit=2&repository_name=" + repo);
        assertEquals(List.of(60L, 300L), newest.getList("gaps", Long.class), "the newest limit gaps");
        assertEquals(List.of(), getOk("/metrics/event-gaps?repository_name=" + uniqueRepo("empty")).getList("gaps"));
    }

    @Test
    void eventGapsCheckTheirFiltersAsEventAvgTimeDoes() {
        assertBadParameter(given().get("/metrics/event-gaps?repository_name=no-slash"), "repository_name");
        assertBadParameter(given().get("/metrics/event-gaps?event_type=PushEvents"), "event_type");
        assertBadParameter(given().get("/metrics/event-gaps?limit=10001"), "limit");
    }

    @Test
    void pollerStatusSaysTheDisabledPollerHasNoBacklog() {
        given().get("/status/poller").then().statusCode(200)
                .body("enabled", equalTo(false)).body("backlog_events", equalTo(0)).body("overdue", equalTo(false));
    }

    @Test
    void theDashboardAndItsChartLibraryAreServedByTheService() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("/dashboard.js")).body(containsString("/vendor/echarts-6.0.0.common.min.js"));
        given().get("/dashboard.js").then().statusCode(200);
        given().get("/vendor/echarts-6.0.0.common.min.js").then().statusCode(200).body(containsString("echarts"));
        for (String page : List.of("/visualization/event-avg-time", "/visualization/events-total-count")) {
            given().get(page + "?event_type=WatchEvent").then().statusCode(200)
                    .contentType(containsString("text/html")).body(containsString("/dashboard.js"));
        }
    }
}
