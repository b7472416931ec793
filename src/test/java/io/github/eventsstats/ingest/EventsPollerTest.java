package io.github.eventsstats.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.DataConfig;
import io.github.eventsstats.embedded.EmbeddedClickHouse;
import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.github.FakeGitHub.Reply;
import io.github.eventsstats.github.PollState;
import io.github.eventsstats.store.ClickHouse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

import static io.github.eventsstats.ingest.Await.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poller against a fake GitHub, storing into the embedded engine. */
@QuarkusTest
@TestProfile(PollerTestProfile.class)
class EventsPollerTest {

    private static long nextId = System.currentTimeMillis() * 1000;

    @Inject
    EventsPoller poller;
    @Inject
    ClickHouse clickHouse;
    @Inject
    EmbeddedClickHouse embedded;
    @Inject
    DataConfig data;
    @Inject
    ObjectMapper json;

    private FakeGitHub fake;
    private String repo;

    @BeforeEach
    void fresh() throws IOException {
        fake = FakeGitHub.instance;
        repo = "poll-org/r" + System.nanoTime();
        fake.reset();
        Files.deleteIfExists(Path.of("target/poller-test/client-state.json"));
    }

    /**
     * Scripts the fake, then makes the poller start over from an empty state file. The poller is
     * held first (a state whose next poll is far away), so no poll of the previous test's state
     * can take a reply meant for this one.
     */
    private void start(Reply... replies) throws IOException {
        Path state = Path.of("target/poller-test/client-state.json");
        Files.createDirectories(state.getParent());
        Files.writeString(state, "{\"nextPollAt\":\"2100-01-01T00:00:00Z\"}");
        poller.reload();
        fake.reset(replies);
        Files.delete(state);
        poller.reload();
    }

    private String event(long id, String type, String action, Instant at) {
        String payload = action == null ? "null" : "{\"action\":\"" + action + "\",\"number\":1}";
        return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"actor\":{\"id\":1,\"login\":\"octo\"},"
                + "\"repo\":{\"id\":2,\"name\":\"" + repo + "\"},\"payload\":" + payload
                + ",\"public\":true,\"created_at\":\"" + at.toString().replaceAll("\\.\\d+Z$", "Z") + "\"}";
    }

    private static String page(String... events) {
        return "[" + String.join(",", events) + "]";
    }

    private long[] ids(int n) {
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = ++nextId;
        }
        return ids;
    }

    /** A re-delivered event is the same event: same id, same created_at. */
    private final Map<Long, Instant> createdAt = new java.util.concurrent.ConcurrentHashMap<>();

    private String pr(long id) {
        return event(id, "PullRequestEvent", "opened",
                createdAt.computeIfAbsent(id, k -> Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    }

    private long stored() {
        return clickHouse.query("SELECT count() AS c FROM events WHERE repo_name = {r:String}", Map.of("r", repo))
                .getFirst().getLong("c");
    }

    private long distinctStored() {
        return clickHouse.query("SELECT uniqExact(event_id) AS c FROM events WHERE repo_name = {r:String}",
                Map.of("r", repo)).getFirst().getLong("c");
    }

    private static long gapMs(List<FakeGitHub.Request> r, int i) {
        return Duration.between(r.get(i - 1).at(), r.get(i).at()).toMillis();
    }

    @Test
    void followsLinkPagesThenSendsTheEtagAndA304StoresNothingMore() throws Exception {
        long[] id = ids(4);
        Reply first = FakeGitHub.ok(page(pr(id[3]), pr(id[2]))).header("ETag", "\"etag-1\"")
                .header("Link", "<{base}/events?per_page=100&page=2>; rel=\"next\", <{base}/events?per_page=100&page=2>; rel=\"last\"");
        Reply second = FakeGitHub.ok(page(pr(id[1]), pr(id[0]), event(++nextId, "PushEvent", null, Instant.now())));
        start(first, second, FakeGitHub.notModified());

        await("the 304 poll", Duration.ofSeconds(10), () -> fake.requests().size() >= 3);
        List<FakeGitHub.Request> r = fake.requests();
        assertNull(r.get(0).ifNoneMatch());
        assertTrue(r.get(1).uri().contains("page=2"), r.get(1).uri());
        assertNull(r.get(1).ifNoneMatch(), "later pages are not conditional");
        assertEquals("\"etag-1\"", r.get(2).ifNoneMatch());
        assertTrue(gapMs(r, 2) >= 900, "polls are X-Poll-Interval apart: " + gapMs(r, 2));
        assertEquals(4, stored());
        assertEquals("\"etag-1\"", poller.state().etag);
        assertEquals("not_modified", poller.state().lastOutcome);
    }

    @Test
    void followsXPollIntervalUpAndDown() throws Exception {
        start(FakeGitHub.notModified(), FakeGitHub.notModified().header("X-Poll-Interval", "3"),
                FakeGitHub.notModified(), FakeGitHub.notModified());
        await("four polls", Duration.ofSeconds(15), () -> fake.requests().size() >= 4);
        List<FakeGitHub.Request> r = fake.requests();
        assertTrue(gapMs(r, 1) >= 900 && gapMs(r, 1) < 2500, "1 s interval: " + gapMs(r, 1));
        assertTrue(gapMs(r, 2) >= 2900, "3 s interval: " + gapMs(r, 2));
        assertTrue(gapMs(r, 3) >= 900 && gapMs(r, 3) < 2500, "back to 1 s: " + gapMs(r, 3));
    }

    @Test
    void sleepsUntilTheResetOnceTheReserveIsReached() throws Exception {
        long reset = Instant.now().getEpochSecond() + 4;
        start(FakeGitHub.notModified().header("X-RateLimit-Remaining", "5").header("X-RateLimit-Limit", "60")
                .header("X-RateLimit-Reset", Long.toString(reset)).header("X-RateLimit-Used", "55"));
        await("the first poll", Duration.ofSeconds(5), () -> fake.requests().size() >= 1);
        await("the poll after the reset", Duration.ofSeconds(10), () -> fake.requests().size() >= 2);
        assertFalse(fake.requests().get(1).at().isBefore(Instant.ofEpochSecond(reset)),
                "no request before the reset at " + Instant.ofEpochSecond(reset));
        given().get("/q/metrics").then().body(containsString("github_poll_total{outcome=\"rate_limited\"}"));
    }

    @Test
    void waitsAsToldBy403And429() throws Exception {
        long reset = Instant.now().getEpochSecond() + 6;
        start(FakeGitHub.status(403, "{\"message\":\"secondary rate limit\"}").header("Retry-After", "2"),
                FakeGitHub.status(429, "{\"message\":\"slow down\"}").header("Retry-After", "1"),
                FakeGitHub.status(403, "{\"message\":\"API rate limit exceeded\"}").header("X-RateLimit-Remaining", "0")
                        .header("X-RateLimit-Reset", Long.toString(reset)));
        await("four requests", Duration.ofSeconds(20), () -> fake.requests().size() >= 4);
        List<FakeGitHub.Request> r = fake.requests();
        assertTrue(gapMs(r, 1) >= 1900, "Retry-After 2: " + gapMs(r, 1));
        assertTrue(gapMs(r, 2) >= 900, "Retry-After 1: " + gapMs(r, 2));
        assertFalse(r.get(3).at().isBefore(Instant.ofEpochSecond(reset)), "polled before the reset");
    }

    @Test
    void backsOffAfterServerErrorsAndTimeoutsThenRecovers() throws Exception {
        long[] id = ids(2);
        start(FakeGitHub.status(500, "oops"), FakeGitHub.status(502, ""),
                FakeGitHub.notModified().delayed(1500), // longer than github.request-timeout
                FakeGitHub.ok(page(pr(id[0]), pr(id[1]))));
        await("recovery", Duration.ofSeconds(15), () -> stored() == 2);
        List<FakeGitHub.Request> r = fake.requests();
        assertTrue(r.size() >= 4);
        for (int i = 1; i < 4; i++) {
            assertTrue(gapMs(r, i) >= 150, "backoff before retry " + i + ": " + gapMs(r, i));
        }
        assertEquals(0, poller.state().consecutiveFailures);
    }

    @Test
    void keepsWhatParsesFromMalformedBodiesAndToleratesOddEvents() throws Exception {
        long[] id = ids(4);
        String odd = "{\"id\":\"" + id[1] + "\",\"type\":\"WatchEvent\",\"surprise\":{\"x\":[1,2]},\"payload\":null,"
                + "\"repo\":{\"name\":\"" + repo + "\"},\"created_at\":\"2026-01-01T00:00:00Z\"}";
        String truncated = page(pr(id[0]), odd).replaceAll("\\]$", "") + ",{\"id\":\"" + id[2] + "\",\"type\":\"Pull";
        start(new Reply(200, truncated, Map.of(), 0).header("ETag", "\"bad\""), // no poll or rate headers at all
                FakeGitHub.status(200, "{\"message\":\"not an array\"}"),
                FakeGitHub.ok(page(pr(id[3]))).header("ETag", "\"good\""));
        await("the good page", Duration.ofSeconds(15), () -> stored() == 3);
        List<FakeGitHub.Request> r = fake.requests();
        assertNull(r.get(1).ifNoneMatch(), "a malformed page's ETag is not kept");
        assertEquals(3, distinctStored());
    }

    @Test
    void overlappingPollsAndARestartStoreEachEventOnce() throws Exception {
        long[] id = ids(5);
        start(FakeGitHub.ok(page(pr(id[2]), pr(id[1]), pr(id[0]))).header("ETag", "\"a\""),
                FakeGitHub.ok(page(pr(id[3]), pr(id[2]), pr(id[1]))).header("ETag", "\"b\"").header("X-Poll-Interval", "3"));
        await("two polls", Duration.ofSeconds(10), () -> fake.requests().size() >= 2 && stored() == 4);
        Instant nextPoll = poller.state().nextPollAt;

        // A restart: state and backlog come back from their files; the next poll waits for nextPollAt.
        fake.then(FakeGitHub.ok(page(pr(id[4]), pr(id[3]), pr(id[2]))).header("ETag", "\"c\""));
        poller.reload();
        assertEquals("\"b\"", poller.state().etag);
        await("the poll after the restart", Duration.ofSeconds(10), () -> fake.requests().size() >= 3);
        List<FakeGitHub.Request> r = fake.requests();
        assertFalse(r.get(2).at().isBefore(nextPoll.minusMillis(50)), "polled before the stored next-poll time");
        assertEquals("\"b\"", r.get(2).ifNoneMatch());
        await("five events", Duration.ofSeconds(5), () -> stored() == 5);
        Thread.sleep(300);
        assertEquals(5, stored());
    }

    @Test
    void stopsPagingOnceAPageHoldsOnlySeenEvents() throws Exception {
        long[] id = ids(2);
        String link = "<{base}/events?per_page=100&page=2>; rel=\"next\"";
        start(FakeGitHub.ok(page(pr(id[1]), pr(id[0]))).header("ETag", "\"x\""),
                FakeGitHub.ok(page(pr(id[1]), pr(id[0]))).header("ETag", "\"y\"").header("Link", link),
                FakeGitHub.notModified());
        await("three polls", Duration.ofSeconds(10), () -> fake.requests().size() >= 3);
        assertFalse(fake.requests().get(2).uri().contains("page=2"), "page 2 was fetched though page 1 was all seen");
        assertEquals(2, stored());
    }

    @Test
    void eventsFetchedWhileClickHouseIsDownAreStoredOnceItIsBack() throws Exception {
        long[] id = ids(3);
        start(FakeGitHub.ok(page(pr(id[0]), pr(id[1]), pr(id[2]))).header("ETag", "\"k\"").delayed(800));
        await("the request", Duration.ofSeconds(5), () -> !fake.requests().isEmpty());
        ProcessHandle engine = ProcessHandle.of(embedded.engine().orElseThrow().pid().orElseThrow()).orElseThrow();
        engine.destroyForcibly();
        engine.onExit().get(10, TimeUnit.SECONDS);

        await("the backlog", Duration.ofSeconds(5), () -> poller.backlogSize() == 3
                || embedded.engine().orElseThrow().isAlive());
        await("the engine's return and the flush", Duration.ofSeconds(30), () -> poller.backlogSize() == 0 && safeStored() == 3);
        Thread.sleep(500);
        assertEquals(3, stored());
        assertFalse(Files.exists(data.dir().resolve("ingest-backlog.json")), "the spool is removed once stored");
    }

    private long safeStored() {
        try {
            return stored();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Test
    void theTokenIsSentButNeverLoggedOrSaved() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        ExtHandler capture = new ExtHandler() {
            @Override
            protected void doPublish(ExtLogRecord record) {
                logged.add(record.getFormattedMessage() + " " + record.getThrown());
            }
        };
        var root = LogContext.getLogContext().getLogger("");
        root.addHandler(capture);
        try {
            long[] id = ids(1);
            start(FakeGitHub.status(500, "boom"), FakeGitHub.status(403, "{}").header("Retry-After", "1"),
                    FakeGitHub.status(401, "{\"message\":\"Bad credentials\"}"),
                    FakeGitHub.ok(page(pr(id[0]))).header("ETag", "\"t\""));
            await("the stored event", Duration.ofSeconds(15), () -> stored() == 1);
        } finally {
            root.removeHandler(capture);
        }
        assertFalse(logged.isEmpty(), "the failures were logged");
        for (String line : logged) {
            assertFalse(line.contains(FakeGitHub.TOKEN), "token in log: " + line);
        }
        String state = Files.readString(Path.of("target/poller-test/client-state.json"));
        assertFalse(state.contains(FakeGitHub.TOKEN));
        for (FakeGitHub.Request r : fake.requests()) {
            assertEquals("Bearer " + FakeGitHub.TOKEN, r.authorization());
            assertEquals("github-events-stats", r.userAgent());
        }
        String metrics = given().get("/q/metrics").asString();
        assertFalse(metrics.contains(FakeGitHub.TOKEN));
        assertTrue(metrics.contains("github_events_fetched_total"));
        assertTrue(metrics.contains("ingest_backlog_events"));
    }

    @Test
    void everyFetchedEventIsArchivedAsReceivedInTheFileOfTheHourOfFetching() throws Exception {
        long[] id = ids(3);
        Instant at = Instant.parse("2026-02-03T04:05:06Z");
        Instant before = Instant.now();
        start(FakeGitHub.ok("[\n  " + event(id[0], "IssuesEvent", "opened", at) + ",\n  "
                + event(id[1], "PushEvent", null, at) + ",\n  "
                + event(id[2], "WatchEvent", "started", at) + "\n]").header("ETag", "\"raw\""));
        await("stored", Duration.ofSeconds(10), () -> stored() == 2);
        Instant after = Instant.now();
        List<String> lines = new java.util.ArrayList<>();
        for (String name : new java.util.LinkedHashSet<>(List.of(RawArchive.fileName(before), RawArchive.fileName(after)))) {
            lines.addAll(archived(name));
        }
        assertEquals(3, lines.size(), "all types, in the file of the fetch hour: " + lines);
        assertEquals(event(id[0], "IssuesEvent", "opened", at), lines.get(0), "as received, on one line");
        assertEquals(event(id[1], "PushEvent", null, at), lines.get(1));
        assertTrue(archived("2026-02-03-4.json.gz").isEmpty(), "not filed by created_at");
    }

    private List<String> archived(String name) throws IOException {
        Path file = data.dir().resolve("raw").resolve(name);
        if (!Files.exists(file)) {
            return List.of();
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.contains(repo)).collect(Collectors.toList());
        }
    }

    @Test
    void aBodyTricklingPastTheRequestTimeoutIsATimeout() throws Exception {
        long[] id = ids(2);
        // The retry comes after the 1 s request timeout, a backoff of up to 1 s and the next 1 s
        // tick: up to ~3 s; the trickle lasts twice that, so a client that waited for it is late.
        start(FakeGitHub.ok(page(pr(id[0]))).header("ETag", "\"slow\"").trickled(6000),
                FakeGitHub.ok(page(pr(id[1]))).header("ETag", "\"fast\""));
        await("the retry", Duration.ofSeconds(10), () -> stored() == 1 && "\"fast\"".equals(poller.state().etag));
        List<FakeGitHub.Request> r = fake.requests();
        assertNull(r.get(1).ifNoneMatch(), "the trickled answer was given up, not taken");
        assertTrue(gapMs(r, 1) < 6000, "retried before the trickle would have ended: " + gapMs(r, 1));
    }

    @Test
    void aFailedLaterPageLeavesEtagAndSeenIdsSoThePollIsRetriedWhole() throws Exception {
        long[] id = ids(4);
        Reply first = FakeGitHub.ok(page(pr(id[3]), pr(id[2]))).header("ETag", "\"p1\"")
                .header("Link", "<{base}/events?per_page=100&page=2>; rel=\"next\"");
        start(first, FakeGitHub.status(502, ""), first, FakeGitHub.ok(page(pr(id[1]), pr(id[0]))),
                FakeGitHub.notModified());
        await("the poll after the retry", Duration.ofSeconds(15), () -> fake.requests().size() >= 5);
        List<FakeGitHub.Request> r = fake.requests();
        assertNull(r.get(2).ifNoneMatch(), "the ETag of an unfinished poll is not kept");
        assertTrue(r.get(3).uri().contains("page=2"), "the retry fetches page 2 again: " + r.get(3).uri());
        assertEquals("\"p1\"", r.get(4).ifNoneMatch());
        assertEquals(4, stored());
    }

    @Test
    void theRateLimitReserveIsCheckedBeforeEveryPage() throws Exception {
        long[] id = ids(3);
        long reset = Instant.now().getEpochSecond() + 4;
        String link = "<{base}/events?per_page=100&page=2>; rel=\"next\"";
        Reply first = FakeGitHub.ok(page(pr(id[2]))).header("ETag", "\"r\"").header("Link", link);
        start(first.header("X-RateLimit-Remaining", "5").header("X-RateLimit-Limit", "60")
                        .header("X-RateLimit-Reset", Long.toString(reset)).header("X-RateLimit-Used", "55"),
                first, FakeGitHub.ok(page(pr(id[1]), pr(id[0]))));
        await("the poll after the reset", Duration.ofSeconds(12), () -> fake.requests().size() >= 3);
        List<FakeGitHub.Request> r = fake.requests();
        assertFalse(r.get(1).at().isBefore(Instant.ofEpochSecond(reset)), "a page fetched before the reset");
        assertFalse(r.get(1).uri().contains("page=2"), "after the reset the poll starts over: " + r.get(1).uri());
        assertNull(r.get(1).ifNoneMatch());
        await("all three events", Duration.ofSeconds(5), () -> stored() == 3);
    }

    @Test
    void aLinkOutsideTheApiUrlIsNotFollowed() throws Exception {
        FakeGitHub elsewhere = FakeGitHub.elsewhere();
        try {
            long[] id = ids(1);
            start(FakeGitHub.ok(page(pr(id[0]))).header("ETag", "\"e\"")
                    .header("Link", "<" + elsewhere.baseUrl() + "/events?per_page=100&page=2>; rel=\"next\""));
            await("the next poll", Duration.ofSeconds(10), () -> fake.requests().size() >= 2);
            assertTrue(elsewhere.requests().isEmpty(), "the token went to another host");
            assertEquals("\"e\"", fake.requests().get(1).ifNoneMatch(), "the poll itself finished");
            assertEquals(1, stored());
        } finally {
            elsewhere.stop();
        }
    }

    @Test
    void aSecondaryRateLimitWithoutRetryAfterWaitsAtLeastTheMinInterval() throws Exception {
        start(FakeGitHub.status(403, "{\"message\":\"You have exceeded a secondary rate limit\"}")
                .header("X-RateLimit-Remaining", "4000")
                .header("X-RateLimit-Reset", Long.toString(Instant.now().getEpochSecond() + 3600)));
        await("the 403", Duration.ofSeconds(5), () -> "rate_limited".equals(savedState().lastOutcome));
        PollState saved = savedState();
        long waitMs = Duration.between(fake.requests().getFirst().at(), saved.nextPollAt).toMillis();
        assertTrue(waitMs >= 950, "POLLER_MIN_INTERVAL is 1 s; waits " + waitMs + " ms");
        assertEquals(PollState.Wait.BACKOFF, saved.waitReason);
    }

    @Test
    void retryAfterCountsFromWhenTheAnswerArrived() throws Exception {
        start(FakeGitHub.status(429, "{}").header("Retry-After", "2").delayed(600));
        await("the 429", Duration.ofSeconds(5), () -> "rate_limited".equals(savedState().lastOutcome));
        long waitMs = Duration.between(fake.requests().getFirst().at(), savedState().nextPollAt).toMillis();
        assertTrue(waitMs >= 2550, "2 s after the answer, which took 0.6 s: " + waitMs + " ms after the request");
    }

    @Test
    void aLocalStorageFailureBacksOffInsteadOfRetryingEveryTick() throws Exception {
        start();
        await("the first poll", Duration.ofSeconds(5), () -> "not_modified".equals(savedState().lastOutcome));
        // After the start: a reload would move the unreadable spool aside.
        Path spool = data.dir().resolve("ingest-backlog.json");
        deleteSpoolTempFiles();
        Files.createDirectories(spool.resolve("blocked")); // the spool cannot be written
        clickHouse.execute("RENAME TABLE events TO events_away");
        long[] id = ids(1);
        try {
            fake.then(FakeGitHub.ok(page(pr(id[0]))).header("ETag", "\"l\""));
            await("the failed poll", Duration.ofSeconds(5), () -> "error".equals(savedState().lastOutcome));
            PollState saved = savedState();
            assertEquals(1, saved.consecutiveFailures);
            assertEquals(PollState.Wait.BACKOFF, saved.waitReason);
            assertTrue(saved.nextPollAt.isAfter(saved.lastPollAt));
            try (var files = Files.list(data.dir())) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no spool copies left");
            }
        } finally {
            clickHouse.execute("RENAME TABLE events_away TO events");
            Files.delete(spool.resolve("blocked"));
            Files.delete(spool);
        }
        await("the event, stored from the backlog", Duration.ofSeconds(10), () -> stored() == 1);
    }

    private void deleteSpoolTempFiles() throws IOException {
        try (var files = Files.list(data.dir())) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.delete(f);
            }
        }
    }

    /** The state file as the poller last saved it (written whole, so never half a poll). */
    private PollState savedState() {
        Path file = Path.of("target/poller-test/client-state.json");
        try {
            return Files.exists(file) ? json.readValue(file.toFile(), PollState.class) : new PollState();
        } catch (IOException e) {
            return new PollState();
        }
    }

    @Test
    void healthReportsThePoller() {
        given().get("/q/health/well").then().statusCode(200)
                .body(containsString("\"poller\"")).body(containsString("last_success_at"));
    }
}
