package io.github.eventsstats.ingest;

import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.event.EventRow;
import io.github.eventsstats.event.EventSource;
import io.github.eventsstats.event.EventType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Dedup and the materialized view, against the embedded engine. */
@QuarkusTest
class EventWriterTest {

    private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() * 1000);

    @Inject
    EventWriter writer;
    @Inject
    EventStore store;
    @Inject
    ClickHouse clickHouse;

    private static EventRow pr(String repo, String action, Instant at) {
        return new EventRow(IDS.incrementAndGet(), EventType.PULL_REQUEST, 7, repo, 9, "octocat", action, at);
    }

    private static EventRow watch(String repo, Instant at) {
        return new EventRow(IDS.incrementAndGet(), EventType.WATCH, 7, repo, 9, "octocat", "started", at);
    }

    private Map<String, Object> agg(String repo) {
        var rows = clickHouse.query("""
                SELECT uniqExactMerge(opened_count) AS n, min(first_opened_at) AS first, max(last_opened_at) AS last
                FROM pr_metrics_agg WHERE repo_name = {repo:String}""", Map.of("repo", repo));
        var r = rows.getFirst();
        return Map.of("n", r.getLong("n"), "first", r.getLocalDateTime("first").toString(),
                "last", r.getLocalDateTime("last").toString());
    }

    private long eventRows(String repo) {
        return clickHouse.query("SELECT count() AS c FROM events WHERE repo_name = {repo:String}", Map.of("repo", repo))
                .getFirst().getLong("c");
    }

    @Test
    void materializedViewCountsOpenedPullRequestsPerRepository() {
        String repo = "mv-org/repo-" + IDS.get();
        Instant t0 = Instant.parse("2026-03-01T10:15:00Z");
        List<EventRow> batch = List.of(
                pr(repo, "opened", t0),
                pr(repo, "opened", t0.plusSeconds(1800)),
                pr(repo, "closed", t0.plusSeconds(1900)),
                pr(repo, "opened", t0.plusSeconds(7200)),
                watch(repo, t0.plusSeconds(60)),
                pr("other-org/x-" + IDS.get(), "opened", t0));

        EventWriter.Result result = writer.write(batch, EventSource.FIREHOSE);

        assertEquals(new EventWriter.Result(6, 0, 6,
                Map.of(EventType.PULL_REQUEST, 5, EventType.WATCH, 1)), result);
        assertEquals(Map.of("n", 3L, "first", "2026-03-01T10:15", "last", "2026-03-01T12:15"), agg(repo));
    }

    @Test
    void redeliveredEventsAreStoredOnceAndCountedOnce() {
        String repo = "dup-org/repo-" + IDS.get();
        Instant t0 = Instant.parse("2026-04-02T08:00:00Z");
        List<EventRow> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(pr(repo, "opened", t0.plusSeconds(i * 600L)));
        }
        writer.write(first, EventSource.FIREHOSE);
        Map<String, Object> before = agg(repo);

        // The same events again, overlapping with new ones, and repeated inside one batch.
        List<EventRow> again = new ArrayList<>(first.subList(2, 5));
        EventRow fresh = pr(repo, "opened", t0.plusSeconds(1000)); // inside the stored span
        again.add(fresh);
        again.add(fresh);
        EventWriter.Result result = writer.write(again, EventSource.FIREHOSE);

        assertEquals(new EventWriter.Result(5, 4, 1, Map.of(EventType.PULL_REQUEST, 1)), result);
        assertEquals(6, eventRows(repo));
        assertEquals(Map.of("n", 6L, "first", before.get("first"), "last", before.get("last")), agg(repo));
        assertEquals(new EventWriter.Result(5, 5, 0), writer.write(first, EventSource.FIREHOSE));
        assertEquals(6, eventRows(repo));
    }

    @Test
    void everySightingIsRecordedPerSourceAndARedeliveryAddsNone() {
        String repo = "seen-org/repo-" + IDS.get();
        Instant t0 = Instant.parse("2026-04-03T08:10:00Z");
        List<EventRow> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rows.add(pr(repo, "opened", t0.plusSeconds(i * 60L)));
        }
        writer.write(rows, EventSource.FIREHOSE);
        writer.write(rows, EventSource.FIREHOSE); // dropped as stored: no second sighting
        writer.write(List.of(rows.get(0), rows.get(0), rows.get(1)), EventSource.ARCHIVE); // dropped, yet seen

        var seen = clickHouse.query("""
                SELECT toString(source) AS source, count() AS sightings, min(hour) AS hour FROM event_sightings FINAL
                WHERE event_id BETWEEN {min:UInt64} AND {max:UInt64} GROUP BY source ORDER BY source""",
                Map.of("min", rows.getFirst().eventId(), "max", rows.getLast().eventId()));
        assertEquals(List.of("archive=2", "firehose=4"),
                seen.stream().map(r -> r.getString("source") + "=" + r.getLong("sightings")).toList());
        assertEquals("2026-04-03T08:00", seen.getFirst().getLocalDateTime("hour").toString());
    }

    @Test
    void aggregateIgnoresDuplicatesThatBypassTheWriter() {
        // A second writer process racing the first could store an event twice before the parts
        // merge; the aggregate must still count it once.
        String repo = "race-org/repo-" + IDS.get();
        Instant t0 = Instant.parse("2026-05-03T00:00:00Z");
        List<EventRow> rows = List.of(pr(repo, "opened", t0), pr(repo, "opened", t0.plusSeconds(100)));
        store.insert(rows, "race-a-" + IDS.get());
        store.insert(rows, "race-b-" + IDS.get());

        assertEquals(4, eventRows(repo));
        assertEquals(Map.of("n", 2L, "first", "2026-05-03T00:00", "last", "2026-05-03T00:01:40"), agg(repo));
        assertEquals(2, clickHouse.query("SELECT count() AS c FROM events FINAL WHERE repo_name = {repo:String}",
                Map.of("repo", repo)).getFirst().getLong("c"));
    }

    @Test
    void aRetriedInsertWithTheSameTokenIsDroppedByTheServer() {
        String repo = "retry-org/repo-" + IDS.get();
        List<EventRow> rows = List.of(pr(repo, "opened", Instant.parse("2026-06-01T00:00:00Z")));
        String token = EventWriter.token(rows);
        store.insert(rows, token);
        store.insert(rows, token);
        assertEquals(1, eventRows(repo));
    }

    @Test
    void theSameEventsInAnyOrderGetTheSameTokenAndOthersAnother() {
        Instant t = Instant.parse("2026-06-01T00:00:00Z");
        EventRow a = new EventRow(11, EventType.WATCH, 1, "o/r", 1, "u", "", t);
        EventRow b = new EventRow(2, EventType.WATCH, 1, "o/r", 1, "u", "", t);
        EventRow c = new EventRow(3, EventType.WATCH, 1, "o/r", 1, "u", "", t);
        assertEquals(EventWriter.token(List.of(a, b)), EventWriter.token(List.of(b, a)));
        assertNotEquals(EventWriter.token(List.of(a, b)), EventWriter.token(List.of(a, c)));
        // sha256("2,11,"): a batch retried by a newer version still matches the stored token.
        assertEquals("events-4726b265866f3aa1c9dbecb6d8921ddf", EventWriter.token(List.of(a, b)));
    }

    @Test
    void anEmptyBatchWritesNothing() {
        assertEquals(new EventWriter.Result(0, 0, 0), writer.write(List.of(), EventSource.FIREHOSE));
    }

    @Test
    void everyPayloadColumnIsStoredAsMappedAndAPushIsOneRowOfPushEvents() {
        String repo = "cols-org/repo-" + IDS.get();
        Instant t = Instant.parse("2026-11-30T08:01:02Z");
        long slimPush = IDS.incrementAndGet();
        EventRow.Payload none = EventRow.Payload.NONE;
        List<EventRow> rows = List.of(
                new EventRow(IDS.incrementAndGet(), EventType.PUSH, 7, repo, 9, "octocat", "", t,
                        new EventRow.Payload(0, false, slimPush, "refs/heads/main", "a1b2", "c3d4", -1, "", "", "", 0, "",
                                0, "", "")),
                new EventRow(IDS.incrementAndGet(), EventType.PUSH, 7, repo, 9, "octocat", "", t.minusSeconds(86_400 * 400),
                        new EventRow.Payload(0, false, slimPush + 1, "refs/heads/dev", "e5", "f6", 3, "", "", "", 0, "",
                                0, "", "")),
                new EventRow(IDS.incrementAndGet(), EventType.PULL_REQUEST, 7, repo, 9, "octocat", "merged", t,
                        new EventRow.Payload(42, true, 0, "", "", "", -1, "", "", "", 0, "", 0, "", "")),
                new EventRow(IDS.incrementAndGet(), "CreateEvent", 7, repo, 9, "octocat", "", t,
                        new EventRow.Payload(0, false, 0, "v2.0.0", "", "", -1, "tag", "refs/tags/v2.0.0", "", 0, "", 0,
                                "", "")),
                new EventRow(IDS.incrementAndGet(), "ForkEvent", 7, repo, 9, "octocat", "forked", t,
                        new EventRow.Payload(0, false, 0, "", "", "", -1, "", "", "", 28688600, "hubot/x", 0, "", "")),
                new EventRow(IDS.incrementAndGet(), "ReleaseEvent", 7, repo, 9, "octocat", "published", t,
                        new EventRow.Payload(0, false, 0, "", "", "", -1, "", "", "v1.0.0", 0, "", 0, "", "")),
                new EventRow(IDS.incrementAndGet(), "PullRequestReviewEvent", 7, repo, 9, "octocat", "created", t,
                        new EventRow.Payload(42, false, 0, "", "", "", -1, "", "", "", 0, "", 80, "approved", "carol")),
                new EventRow(IDS.incrementAndGet(), EventType.WATCH, 7, repo, 9, "octocat", "started", t, none));

        EventWriter.Result result = writer.write(rows, EventSource.FIREHOSE);

        assertEquals(Map.of("PushEvent", 2, "PullRequestEvent", 1, "CreateEvent", 1, "ForkEvent", 1, "ReleaseEvent", 1,
                "PullRequestReviewEvent", 1, "WatchEvent", 1), result.storedByType());
        List<String> stored = clickHouse.query("""
                SELECT concat(event_type, ' ', action, ' ', toString(number), ' ', toString(merged), ' ',
                              toString(push_id), ' ', ref, ' ', head, ' ', before, ' ', ifNull(toString(size), 'null'),
                              ' ', ref_type, ' ', full_ref, ' ', tag_name, ' ', toString(forkee_id), ' ', forkee_name, ' ',
                              toString(comment_id), ' ', review_state, ' ', member_login) AS r
                FROM events WHERE repo_name = {repo:String} ORDER BY event_id""", Map.of("repo", repo))
                .stream().map(r -> r.getString("r").replaceAll(" +", " ").strip()).toList();
        assertEquals(List.of(
                "PushEvent 0 0 " + slimPush + " refs/heads/main a1b2 c3d4 null 0 0",
                "PushEvent 0 0 " + (slimPush + 1) + " refs/heads/dev e5 f6 3 0 0",
                "PullRequestEvent merged 42 1 0 null 0 0",
                "CreateEvent 0 0 0 v2.0.0 null tag refs/tags/v2.0.0 0 0",
                "ForkEvent forked 0 0 0 null 28688600 hubot/x 0",
                "ReleaseEvent published 0 0 0 null v1.0.0 0 0",
                "PullRequestReviewEvent created 42 0 0 null 0 80 approved carol",
                "WatchEvent started 0 0 0 null 0 0"), stored);
        assertEquals(List.of(slimPush + " refs/heads/main null", (slimPush + 1) + " refs/heads/dev 3"), clickHouse.query("""
                SELECT concat(toString(push_id), ' ', ref, ' ', ifNull(toString(size), 'null')) AS r
                FROM push_events FINAL WHERE repo_name = {repo:String} ORDER BY push_id""", Map.of("repo", repo))
                .stream().map(r -> r.getString("r")).toList());
    }
}
