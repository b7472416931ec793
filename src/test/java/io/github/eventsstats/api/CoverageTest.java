package io.github.eventsstats.api;

import io.github.eventsstats.coverage.CoverageService;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.event.EventType;
import io.github.eventsstats.poller.PollLog;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GET /metrics/coverage and the coverage object of the answers, against the embedded engine. This
 * class owns the sightings, the coverage table and the poll log while it runs.
 */
@QuarkusTest
class CoverageTest extends ApiTestBase {

    private static final Instant HOUR = Instant.parse("2017-03-05T10:00:00Z");
    private static final int GENERATED = 20_000;

    @Inject
    CoverageService coverage;
    @Inject
    PollLog pollLog;

    @BeforeEach
    void emptyCoverage() {
        for (String table : List.of("event_sightings", "sighting_hours", "coverage_hourly", "poller_polls")) {
            clickHouse.execute("TRUNCATE TABLE " + table);
        }
        coverage.refresh();
    }

    /** A generated hour of events, spread over its seconds. */
    private static List<EventRow> generatedHour(Random random) {
        List<EventRow> rows = new ArrayList<>(GENERATED);
        for (int i = 0; i < GENERATED; i++) {
            String type = EventType.DEFAULTS.get(random.nextInt(EventType.DEFAULTS.size()));
            rows.add(event(type, "cov-org/repo-" + random.nextInt(500), "user-" + random.nextInt(5000),
                    type.equals(EventType.WATCH) ? "started" : "opened", HOUR.plusSeconds(random.nextInt(3600))));
        }
        return rows;
    }

    /** Each event independently with probability p: one sampler's catch. */
    private static List<EventRow> sample(List<EventRow> all, double p, Random random) {
        return all.stream().filter(r -> random.nextDouble() < p).toList();
    }

    private void deliver(List<EventRow> rows, EventSource source) {
        for (int i = 0; i < rows.size(); i += 5_000) {
            writer.write(rows.subList(i, Math.min(rows.size(), i + 5_000)), source);
        }
    }

    private static Set<Long> ids(List<EventRow> rows) {
        Set<Long> ids = new HashSet<>();
        rows.forEach(r -> ids.add(r.eventId()));
        return ids;
    }

    private static JsonPath report(Instant from, Instant to) {
        return getOk("/metrics/coverage?from=" + from + "&to=" + to);
    }

    @Test
    void withTwoIndependentSamplesOfAGeneratedHourTheEstimateIsWithinTenPercentOfItsTotal() {
        Random random = new Random(13);
        List<EventRow> hour = generatedHour(random);
        List<EventRow> firehose = sample(hour, 0.08, random); // a poller sees a few percent
        List<EventRow> archive = sample(hour, 0.6, random);
        deliver(firehose, EventSource.FIREHOSE);
        deliver(archive, EventSource.ARCHIVE);

        JsonPath json = report(HOUR, HOUR.plusSeconds(3600));

        Set<Long> both = ids(firehose);
        both.retainAll(ids(archive));
        Set<Long> any = ids(firehose);
        any.addAll(ids(archive));
        assertEquals(List.of(HOUR.toString()), json.getList("hours.hour"));
        assertEquals(firehose.size(), json.getLong("hours[0].sources.firehose.seen"));
        assertEquals(archive.size(), json.getLong("hours[0].sources.archive.seen"));
        assertEquals(both.size(), json.getLong("hours[0].sources.firehose.also_seen_by.archive"));
        assertEquals(both.size(), json.getLong("hours[0].sources.archive.also_seen_by.firehose"));
        assertEquals(0, json.getLong("hours[0].sources.firehose.also_seen_by.watched"));
        assertEquals(any.size(), json.getLong("hours[0].events_seen"));
        double estimate = json.getDouble("hours[0].estimated_events");
        assertTrue(Math.abs(estimate - GENERATED) <= 0.1 * GENERATED,
                "estimate " + estimate + " of " + GENERATED + " generated events");
        assertEquals(any.size() / estimate, json.getDouble("hours[0].estimated_fraction_seen"), 1e-9);
        assertEquals(false, json.getBoolean("hours[0].complete"));
        assertEquals(estimate, json.getDouble("coverage.events_estimated"), 1e-6);
    }

    @Test
    void redeliveriesAndEventsAlreadyStoredNeverInflateACount() {
        Random random = new Random(7);
        List<EventRow> hour = generatedHour(random).subList(0, 2_000);
        List<EventRow> firehose = sample(hour, 0.3, random);
        deliver(firehose, EventSource.FIREHOSE);
        deliver(hour, EventSource.ARCHIVE);
        JsonPath once = report(HOUR, HOUR.plusSeconds(3600));

        deliver(firehose, EventSource.FIREHOSE); // a retried poll
        deliver(hour, EventSource.ARCHIVE);      // the same file loaded again
        store.insert(hour, "race-" + uniqueId()); // a copy that raced past the writer: no sighting
        JsonPath again = report(HOUR, HOUR.plusSeconds(3600));

        assertEquals(once.getMap("hours[0]"), again.getMap("hours[0]"));
        assertEquals(firehose.size(), again.getLong("hours[0].sources.firehose.also_seen_by.archive"));
        assertEquals(2_000, again.getLong("hours[0].events_seen"));
        assertEquals(true, again.getBoolean("hours[0].complete"), "the archive saw every event the firehose saw");
    }

    @Test
    void everyHourOfTheRangeIsListedAndTheSummaryCountsThem() {
        deliver(List.of(event(EventType.WATCH, "cov-org/x", "ann", "started", HOUR.plusSeconds(7200 + 60))),
                EventSource.FIREHOSE);

        JsonPath json = report(HOUR.plusSeconds(1800), HOUR.plusSeconds(3 * 3600 - 1)); // rounded to whole hours

        assertEquals(HOUR.toString(), json.getString("from"));
        assertEquals(HOUR.plusSeconds(3 * 3600).toString(), json.getString("to"));
        assertEquals(3, json.getList("hours").size());
        assertEquals(Map.of(), json.getMap("hours[0].sources"));
        assertEquals(1, json.getLong("hours[2].sources.firehose.seen"));
        assertNull(json.get("hours[2].estimated_events"), "one source alone gives no estimate");
        assertEquals(Map.ofEntries(Map.entry("from_hour", HOUR.toString()),
                Map.entry("to_hour", HOUR.plusSeconds(3 * 3600).toString()), Map.entry("sources", List.of("firehose")),
                Map.entry("hours", 3), Map.entry("hours_complete", 0), Map.entry("hours_sampled", 1),
                Map.entry("hours_without_data", 2), Map.entry("hours_estimated", 0), Map.entry("events_seen", 1),
                Map.entry("hours_expired", 0), Map.entry("up_to_date", true)), withoutNulls(json.getMap("coverage")));
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        Map<String, Object> out = new java.util.HashMap<>(map);
        out.values().removeIf(java.util.Objects::isNull);
        return out;
    }

    @Test
    void theGapsAreWhereThePollerHadNoSuccessForMoreThanTwoIntervals() {
        Instant t0 = Instant.parse("2017-06-01T00:00:00Z");
        for (int minute = 0; minute < 120; minute++) {
            if (minute <= 30 || minute >= 60) {
                pollLog.success(t0.plus(Duration.ofMinutes(minute)), Duration.ofMinutes(1));
            }
        }

        JsonPath json = report(t0, t0.plus(Duration.ofHours(2)));

        assertEquals(List.of(Map.of("from", "2017-06-01T00:30:00Z", "to", "2017-06-01T01:00:00Z", "seconds", 1800)),
                json.getList("poller_gaps"));
    }

    @Test
    void everyWindowedAnswerCarriesItsCoverage() {
        Random random = new Random(3);
        List<EventRow> hour = generatedHour(random).subList(0, 3_000);
        deliver(sample(hour, 0.5, random), EventSource.FIREHOSE);
        deliver(sample(hour, 0.5, random), EventSource.ARCHIVE);
        coverage.refresh(); // as the scheduled job does

        JsonPath chart = getOk("/metrics/visualization?interval=hour&from=" + HOUR + "&to=" + HOUR.plusSeconds(2 * 3600));
        assertEquals(List.of("firehose", "archive"), chart.getList("coverage.sources"));
        assertEquals(2, chart.getInt("coverage.hours"));
        assertEquals(1, chart.getInt("coverage.hours_sampled"));
        assertEquals(1, chart.getInt("coverage.hours_without_data"));
        assertEquals(1, chart.getInt("coverage.hours_estimated"));
        double fraction = chart.getDouble("coverage.estimated_fraction_seen");
        assertTrue(fraction > 0.6 && fraction < 0.9, "half and half: about 3/4 seen, got " + fraction);

        JsonPath total = getOk("/metrics/events-total-count");
        assertEquals(chart.getDouble("coverage.events_estimated"), total.getDouble("coverage.events_estimated"), 1e-6,
                "the whole-table answers cover every hour with data");
        assertEquals(HOUR.toString(), total.getString("coverage.from_hour"));
        for (String path : List.of("/metrics/events?offset=60", "/metrics/top-repos?days=1", "/metrics/user-sessions?days=1",
                "/metrics/event-avg-time", "/metrics/multiple-events-repos?event_type=WatchEvent")) {
            JsonPath answer = getOk(path);
            assertNotNull(answer.get("coverage.hours"), path);
            assertNotNull(answer.get("coverage.sources"), path);
            assertNotNull(answer.get("coverage.events_seen"), path);
        }
        assertEquals(2, getOk("/metrics/events?offset=60").getInt("coverage.hours"),
                "60 minutes, both ends inclusive, always touch two hours");
    }

    @Test
    void eventsJustStoredAreInTheCoverageOfTheAnswerBesideThemWithoutWaitingForTheScheduledRefresh() {
        Random random = new Random(5);
        List<EventRow> hour = generatedHour(random).subList(0, 2_000);
        deliver(hour, EventSource.ARCHIVE); // no refresh: the scheduled one is off in tests

        JsonPath totals = getOk("/metrics/events-total-count");
        assertEquals(List.of("archive"), totals.getList("coverage.sources"), "never 'no source' beside stored events");
        assertEquals(2_000, totals.getLong("coverage.events_seen"));
        assertEquals(true, totals.getBoolean("coverage.up_to_date"));
        JsonPath chart = getOk("/metrics/visualization?interval=hour&from=" + HOUR + "&to=" + HOUR.plusSeconds(3600));
        assertEquals(1, chart.getInt("coverage.hours_sampled") + chart.getInt("coverage.hours_complete"));
        assertEquals(0, chart.getInt("coverage.hours_without_data"));
    }

    @Test
    void badRangesAreProblems() {
        assertBadParameter(given().get("/metrics/coverage?from=yesterday"), "from");
        assertBadParameter(given().get("/metrics/coverage?to=2017-01-01T00:00:00"), "to");
        assertBadParameter(given().get("/metrics/coverage?from=2017-01-02T00:00:00Z&to=2017-01-01T00:00:00Z"), "to");
        assertBadParameter(given().get("/metrics/coverage?from=2017-01-01T00:00:00Z&to=2017-02-01T01:00:00Z"), "from");
        assertBadParameter(given().get("/metrics/coverage?from=1969-12-31T00:00:00Z"), "from");
        getOk("/metrics/coverage?from=2017-01-01T00:00:00Z&to=2017-02-01T00:00:00Z"); // 744 hours: the most
        getOk("/metrics/coverage"); // the last 24 hours
    }
}
