package io.github.eventsstats.retention;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.coverage.CoverageService;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.event.EventType;
import io.github.eventsstats.ingest.EventStore;
import io.github.eventsstats.ingest.EventWriter;
import io.github.eventsstats.ingest.RawArchive;
import io.github.eventsstats.platform.DataConfig;
import io.github.eventsstats.platform.FakeClock;
import io.github.eventsstats.retention.RetentionStore.CurrentTtl;
import io.github.eventsstats.rollup.HourlyRollup;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EVENTS_RETENTION (30 days here), ROLLUP_RETENTION (60) and RAW_RETENTION (2), through the API's
 * answers: a day's events leave every answer once they expire and the tables within one check
 * interval; long windows keep answering them from the rollups, with the same numbers, and say
 * so in their coverage; nothing written into an expired hour later changes that. The clock is
 * the service's (a fake one); the deletions are the engine's, so they are waited for.
 */
@QuarkusTest
@TestProfile(RetentionTestProfile.class)
class RetentionTest {

    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() * 1000);
    private static final Duration DAY = Duration.ofDays(1);
    private static final String YEAR = "/metrics/events?offset=525600";
    private static final String TOP_YEAR = "/metrics/top-repos?days=365&limit=10";

    @Inject
    FakeClock clock;
    @Inject
    RetentionJob job;
    @Inject
    RetentionStore store;
    @Inject
    EventWriter writer;
    @Inject
    EventStore events;
    @Inject
    HourlyRollup rollup;
    @Inject
    CoverageService coverage;
    @Inject
    ClickHouse clickHouse;
    @Inject
    RawArchive raw;
    @Inject
    DataConfig data;

    private Instant start;
    /** A day of events that expires during a test, and a day that does not. */
    private Instant oldDay;
    private Instant recentDay;
    private List<EventRow> old;
    private List<EventRow> recent;

    @BeforeEach
    void emptyTablesAndAFirstCheck() {
        start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        clock.set(start);
        oldDay = floorDay(start.minus(Duration.ofDays(20)));
        recentDay = floorDay(start.minus(Duration.ofDays(2)));
        for (RetentionStore.Expiring t : RetentionStore.TABLES) {
            clickHouse.execute("TRUNCATE TABLE " + t.table());
        }
        coverage.refresh();
        job.check(); // the TTLs, and the next check due an hour later
    }

    private static Instant floorDay(Instant t) {
        return t.truncatedTo(ChronoUnit.DAYS);
    }

    private static EventRow event(String type, String repo, Instant at) {
        String action = type.equals(EventType.WATCH) ? "started" : "opened";
        return new EventRow(IDS.incrementAndGet(), type, repo.hashCode() & 0xffff, repo, 7, "octocat", action, at);
    }

    /** Events of the day's hours 2 to 9, of every default type, in four repositories, the first the busiest. */
    private static List<EventRow> dayOfEvents(Instant day) {
        List<EventRow> rows = new ArrayList<>();
        for (int h = 2; h < 10; h++) {
            for (int i = 0; i < 1 + h % 4; i++) {
                String type = EventType.DEFAULTS.get((h + i) % EventType.DEFAULTS.size());
                rows.add(event(type, "ret-org/repo-" + (i % 4), day.plus(Duration.ofHours(h)).plus(Duration.ofMinutes(7L * i))));
            }
        }
        return rows;
    }

    private void write(List<EventRow> rows) {
        assertEquals(rows.size(), writer.write(rows, EventSource.FIREHOSE).stored());
    }

    private static Map<String, Object> byType(List<EventRow> rows) {
        Map<String, Object> counts = new LinkedHashMap<>();
        EventType.DEFAULTS.forEach(t -> counts.put(t, 0));
        rows.forEach(r -> counts.merge(r.type(), 1, (a, b) -> (Integer) a + (Integer) b));
        return counts;
    }

    private static JsonPath getOk(String path) {
        return given().get(path).then().statusCode(200).extract().jsonPath();
    }

    private static long storedRows() {
        return getOk("/debug/total-events").getLong("stored_rows");
    }

    private void countHours() {
        rollup.countChangedHours(Duration.ZERO, (n, last) -> { });
        coverage.refresh();
    }

    /**
     * Moves the clock to {@code t} and waits for the check the scheduler then runs (it ticks every
     * few seconds and checks once RETENTION_CHECK_INTERVAL has passed by the clock).
     */
    private RetentionJob.Check scheduledCheckAt(Instant t) {
        clock.set(t);
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> job.lastCheck().filter(c -> c.at().equals(t)).orElse(null), Objects::nonNull);
    }

    /** The old and the recent day's events, stored and counted by the rollup and coverage. */
    private void storeOldAndRecentDays() {
        old = dayOfEvents(oldDay);
        recent = dayOfEvents(recentDay);
        write(old);
        write(recent);
        countHours();
    }

    private JsonPath oldDayCoverage() {
        return getOk("/metrics/coverage?from=" + oldDay + "&to=" + oldDay.plus(DAY));
    }

    @Test
    void expiredDaysLeaveTheAnswersAtOnceAndTheTablesWithinACheckWhileLongWindowsKeepTheirCounts() {
        storeOldAndRecentDays();
        List<EventRow> all = new ArrayList<>(old);
        all.addAll(recent);
        assertEquals(byType(all), getOk(YEAR).getMap("counts"));
        assertEquals(byType(all), getOk("/metrics/events-total-count").getMap("counts"));
        List<Object> topYear = getOk(TOP_YEAR).getList("repositories");
        long oldSeen = oldDayCoverage().getLong("coverage.events_seen");
        assertEquals(old.size(), oldSeen);

        // The old day's events expire once the day's end is 30 days old. A minute before, a check finds nothing.
        Instant expiry = oldDay.plus(DAY).plus(Duration.ofDays(30));
        assertEquals(List.of(), scheduledCheckAt(expiry.minusSeconds(60)).deleting(), "nothing has expired yet");

        // Expired, and the next check not due yet: the rows are still stored, and no answer counts them
        // but from the rollups, which windows holding their hours read.
        clock.set(expiry.plus(Duration.ofMinutes(30)));
        assertTrue(job.checkIfDue().isEmpty(), "the next check is an hour after the last");
        assertEquals(all.size(), storedRows(), "not deleted yet");
        assertEquals(byType(recent), getOk("/metrics/events-total-count").getMap("counts"), "stored events: the kept ones");
        assertEquals(byType(recent.stream().filter(r -> r.repoName().equals("ret-org/repo-0")).toList()),
                getOk("/metrics/events-total-count?repository_name=ret-org/repo-0").getMap("counts"), "one repository's too");
        JsonPath year = getOk(YEAR);
        assertEquals(byType(all), year.getMap("counts"), "the year still holds the old day, from the rollup");
        assertEquals(oldDay.plus(DAY).toString(), year.getString("coverage.events_expired_before"));
        Instant yearFromHour = Instant.parse(year.getString("coverage.from_hour"));
        assertEquals(Duration.between(yearFromHour, oldDay.plus(DAY)).toHours(), year.getLong("coverage.hours_expired"));
        assertEquals(topYear, getOk(TOP_YEAR).getList("repositories"));

        // The check an interval after the last deletes them; the engine does it in the background.
        List<String> deleting = scheduledCheckAt(expiry.minusSeconds(60).plus(Duration.ofHours(1))).deleting();
        assertEquals(List.of("events", "event_sightings"), deleting);
        await().atMost(Duration.ofMinutes(2)).until(() -> storedRows() == recent.size());
        assertEquals(byType(all), getOk(YEAR).getMap("counts"), "the year, from the rollup alone");
        assertEquals(topYear, getOk(TOP_YEAR).getList("repositories"));
        assertEquals(byType(recent), getOk("/metrics/events-total-count").getMap("counts"));
        assertEquals(oldSeen, oldDayCoverage().getLong("coverage.events_seen"), "coverage is a rollup too");
    }

    @Test
    void aLateWriteIntoAnExpiredHourChangesNoCountNorCoverage() {
        storeOldAndRecentDays();
        Map<String, Object> year = getOk(YEAR).getMap("counts");
        List<Object> topYear = getOk(TOP_YEAR).getList("repositories");
        long oldSeen = oldDayCoverage().getLong("coverage.events_seen");

        scheduledCheckAt(oldDay.plus(DAY).plus(Duration.ofDays(30)).plus(Duration.ofHours(2)));
        long kept = recent.size();
        await().atMost(Duration.ofMinutes(2)).until(() -> storedRows() == kept);

        // A backfill of the old day loads an event the firehose missed: by the engine's clock it is not
        // expired, so it is stored, and its hour's row count (what tells the rollup an hour changed) moves.
        write(List.of(event(EventType.WATCH, "ret-org/late", oldDay.plus(Duration.ofHours(3)))));
        assertEquals(year, getOk(YEAR).getMap("counts"), "an expired hour is read from the rollup alone");
        assertEquals(topYear, getOk(TOP_YEAR).getList("repositories"));
        countHours();
        assertEquals(year, getOk(YEAR).getMap("counts"), "and not counted again from what is left of it");
        assertEquals(topYear, getOk(TOP_YEAR).getList("repositories"));
        assertEquals(oldSeen, oldDayCoverage().getLong("coverage.events_seen"), "nor its coverage computed again");

        // The next check takes the late row too.
        assertEquals(List.of("events", "event_sightings"), scheduledCheckAt(clock.instant().plus(Duration.ofHours(1))).deleting());
        await().atMost(Duration.ofMinutes(2)).until(() -> storedRows() == kept);
    }

    @Test
    void rollupsExpireByTheirOwnRetentionAndTakeTheirHoursOutOfLongWindows() {
        storeOldAndRecentDays();

        // 60 days after the old day's end its rollups expire; the recent day's events have expired by then, its rollups not
        Instant later = oldDay.plus(DAY).plus(Duration.ofDays(60)).plus(Duration.ofMinutes(5));
        clock.set(later);
        assertEquals(byType(recent), getOk(YEAR).getMap("counts"), "the old day's hours count nothing any more");
        JsonPath report = oldDayCoverage();
        assertEquals(0, report.getLong("coverage.events_seen"));
        assertEquals(24, report.getLong("coverage.hours_without_data"));
        assertEquals(24, report.getLong("coverage.hours_expired"));

        List<String> deleting = scheduledCheckAt(later).deleting();
        assertTrue(deleting.containsAll(List.of("events", "event_sightings", "events_hour_writes", "events_hourly",
                "repo_hourly", "repo_hourly_detail", "repo_hour_top", "repo_hours_sealed", "pr_metrics_agg",
                "sighting_hours", "coverage_hourly")), deleting.toString());
        await().atMost(Duration.ofMinutes(2)).until(() -> rowsBefore("events_hourly", oldDay.plus(DAY)) == 0
                && rowsBefore("coverage_hourly", oldDay.plus(DAY)) == 0 && storedRows() == 0);
        assertEquals(byType(recent), getOk(YEAR).getMap("counts"), "the recent day, from its rollup");
    }

    private long rowsBefore(String table, Instant before) {
        return clickHouse.query("SELECT count() AS n FROM " + table + " WHERE hour < {before:DateTime('UTC')}",
                Map.of("before", ClickHouse.dateTime(before))).getFirst().getLong("n");
    }

    @Test
    void theTablesTtlsFollowTheSettingsAndTheEngineDropsExpiredRowsItself() {
        Map<String, CurrentTtl> ttls = store.currentTtls();
        for (RetentionStore.Expiring t : RetentionStore.TABLES) {
            long days = t.kept() == RetentionStore.Kept.EVENTS ? 30 : 60;
            assertEquals(new CurrentTtl.Days(days), ttls.get(t.table()), t.table());
        }
        assertEquals(List.of(), job.check().ttlsChanged(), "set once, then left as they are");

        // By the engine's own clock: a row 40 days old is dropped as it is inserted, one 20 days old kept.
        Instant real = Instant.now();
        events.insert(List.of(event(EventType.WATCH, "ret-org/ttl", real.minus(Duration.ofDays(40))),
                event(EventType.WATCH, "ret-org/ttl", real.minus(Duration.ofDays(20)))), "ttl-" + IDS.incrementAndGet());
        assertEquals(1, storedRows());
    }

    @Test
    void rawFilesGoOnceTheirHourIsOlderThanTheRetention() throws IOException {
        Instant hour = start.truncatedTo(ChronoUnit.HOURS);
        raw.append(List.of("{}".getBytes()), hour.minus(Duration.ofDays(3)));
        raw.append(List.of("{}".getBytes()), hour.minus(Duration.ofDays(1)));
        Path dir = data.dir().resolve("raw");
        Path older = dir.resolve(RawArchive.fileName(hour.minus(Duration.ofDays(3))));
        Path newer = dir.resolve(RawArchive.fileName(hour.minus(Duration.ofDays(1))));

        assertEquals(1, scheduledCheckAt(start.plus(Duration.ofHours(1))).rawFilesDeleted());
        assertFalse(Files.exists(older));
        assertTrue(Files.exists(newer));
        Files.delete(newer);
    }
}
