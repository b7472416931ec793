package io.github.eventsstats.api;

import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventType;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Long windows read whole hours from the hourly rollup (events_hourly) and the rest from
 * `events`; every answer stays the exact count of distinct events, whether an hour is counted,
 * written to since, or holds raced copies. This class owns `events` while it runs.
 */
@QuarkusTest
class RollupWindowsTest extends ApiTestBase {

    private static final String[] ACTIONS = {"opened", "closed", "reopened"};

    @Inject
    HourlyRollup rollup;

    private Instant now;
    private Instant hourStart;

    @BeforeEach
    void emptyTable() {
        truncateEvents();
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        hourStart = now.truncatedTo(ChronoUnit.HOURS);
    }

    /** Events over the last 3 days, in most hours, several types and actions, some in the open hour. */
    private List<EventRow> spreadOverDays() {
        List<EventRow> rows = new ArrayList<>();
        for (int h = 1; h <= 72; h++) {
            for (int i = 0; i < h % 4; i++) {
                Instant at = hourStart.minus(Duration.ofHours(h)).plus(Duration.ofMinutes(7L * i + h % 50));
                String type = EventType.DEFAULTS.get((h + i) % EventType.DEFAULTS.size());
                String action = type.equals(EventType.WATCH) ? "started" : ACTIONS[(h * 7 + i) % ACTIONS.length];
                rows.add(event(type, "rollup-org/repo-" + (h % 5), "user-" + i, action, at));
            }
        }
        // the open hour, well before now
        if (now.minusSeconds(20).isAfter(hourStart)) {
            rows.add(event(EventType.ISSUES, "rollup-org/repo-1", "ann", "opened", hourStart));
        }
        return rows;
    }

    private long countHours() {
        return rollup.countChangedHours(Duration.ZERO, (n, last) -> { });
    }

    private static Map<String, Integer> byType(List<EventRow> rows, String action) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String t : EventType.DEFAULTS) {
            counts.put(t, 0);
        }
        rows.stream().filter(r -> action.isEmpty() || r.action().equals(action))
                .forEach(r -> counts.merge(r.type(), 1, Integer::sum));
        return counts;
    }

    private static Map<String, Object> yearCounts() {
        return getOk("/metrics/events?offset=525600").getMap("counts");
    }

    @Test
    void yearWindowCountsEachEventOnceWhetherItsHourIsCountedChangedOrHoldsCopies() {
        List<EventRow> rows = new ArrayList<>(spreadOverDays());
        write(rows);
        assertEquals(byType(rows, ""), yearCounts(), "no hour counted yet: all from events");

        assertTrue(countHours() >= 48, "the hours written are counted");
        assertEquals(byType(rows, ""), yearCounts(), "from the rollup");

        reinsertDuplicates(rows);
        assertEquals(byType(rows, ""), yearCounts(), "hours with raced copies, read from events again");
        assertTrue(countHours() >= 48, "the changed hours are counted again");
        assertEquals(byType(rows, ""), yearCounts(), "counted again, the copies are folded");

        EventRow late = event(EventType.WATCH, "rollup-org/late", "bob", "started", hourStart.minus(Duration.ofHours(30)));
        write(List.of(late));
        rows.add(late);
        assertEquals(byType(rows, ""), yearCounts(), "an event written into a counted hour is counted at once");
    }

    @Test
    void countedHourIsReadFromTheRollupWhileNothingWasWrittenIntoIt() {
        List<EventRow> rows = spreadOverDays();
        write(rows);
        countHours();
        Instant hour = hourStart.minus(Duration.ofHours(10));
        // A count that disagrees with `events`, taken at the hour's current row count: only a
        // read of the rollup can see it.
        clickHouse.query("""
                INSERT INTO events_hourly (hour, event_type, action, events, hour_rows, sealed_at)
                SELECT {hour:DateTime('UTC')}, 'WatchEvent', 'rollup-test', 1000, sum(rows), now64(3) + 1
                FROM events_hour_writes WHERE hour = {hour:DateTime('UTC')}
                """, Map.of("hour", io.github.eventsstats.clickhouse.ClickHouse.dateTime(hour)));
        Map<String, Integer> expected = byType(rows, "");
        expected.merge("WatchEvent", 1000, Integer::sum);
        assertEquals(expected, yearCounts());

        EventRow more = event(EventType.ISSUES, "rollup-org/more", "cy", "opened", hour.plusSeconds(60));
        write(List.of(more));
        List<EventRow> all = new ArrayList<>(rows);
        all.add(more);
        assertEquals(byType(all, ""), yearCounts(), "written into since: read from events, exact");
    }

    @Test
    void hourAndDayChartsOverCountedAndOpenHoursMatchTheEvents() {
        List<EventRow> rows = new ArrayList<>(spreadOverDays());
        write(rows.subList(0, rows.size() / 2));
        countHours();
        write(rows.subList(rows.size() / 2, rows.size()));
        for (String interval : List.of("hour", "day")) {
            long step = interval.equals("hour") ? 3600 : 86_400;
            Instant from = Instant.ofEpochSecond(Math.floorDiv(now.minus(Duration.ofDays(4)).getEpochSecond(), step) * step);
            JsonPath json = getOk("/metrics/visualization?interval=" + interval + "&from=" + from);
            List<String> buckets = json.getList("buckets");
            for (String type : EventType.DEFAULTS) {
                List<Long> expected = new ArrayList<>();
                for (String bucket : buckets) {
                    Instant start = Instant.parse(bucket);
                    expected.add(rows.stream().filter(r -> r.type().equals(type) && !r.createdAt().isBefore(start)
                            && r.createdAt().isBefore(start.plusSeconds(step))).count());
                }
                List<Long> actual = json.getList("series." + type, Long.class);
                assertEquals(expected, actual, interval + " " + type);
            }
        }
    }

    @Test
    void totalCountsComeFromTheRollupWithAndWithoutAnAction() {
        List<EventRow> rows = spreadOverDays();
        write(rows);
        countHours();
        reinsertDuplicates(rows);
        for (String action : List.of("", "opened", "started")) {
            JsonPath json = getOk("/metrics/events-total-count" + (action.isEmpty() ? "" : "?action=" + action));
            assertEquals(byType(rows, action), json.getMap("counts"), "action '" + action + "'");
        }
        countHours();
        JsonPath json = getOk("/metrics/events-total-count?action=opened");
        assertEquals(byType(rows, "opened"), json.getMap("counts"));
    }
}
