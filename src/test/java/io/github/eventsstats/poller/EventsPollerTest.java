package io.github.eventsstats.poller;

import io.github.eventsstats.ingest.RawArchive;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.embedded.EmbeddedClickHouse;
import io.github.eventsstats.github.FakeGitHub.Reply;
import io.github.eventsstats.github.FakeGitHub;
import io.github.eventsstats.platform.CapturedLogs;
import io.github.eventsstats.platform.DataConfig;
import io.github.eventsstats.platform.FakeClock;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The poller against a fake GitHub, storing into the embedded engine, on a fake clock: each test
 * ticks the poller itself and moves the clock to the next poll time, then checks the requests
 * GitHub saw and the rows stored. The timing rules themselves are {@link PollPlannerTest}'s.
 */
@QuarkusTest
@TestProfile(PollerTestProfile.class)
class EventsPollerTest {

    private static final Path STATE = Path.of("target/poller-test/client-state.json");
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
    @Inject
    FakeClock clock;
    @Inject
    Scheduler scheduler;

    private FakeGitHub fake;
    private String repo;

    @BeforeEach
    void fresh() throws IOException {
        fake = FakeGitHub.instance;
        fake.useClock(clock, clock::advance);
        repo = "poll-org/r" + System.nanoTime();
        fake.reset();
        Files.deleteIfExists(STATE);
    }

    /**
     * Scripts the fake, then makes the poller start over from an empty state file. The poller is
     * held first (a state whose next poll is far away), so no tick on the previous test's state
     * can take a reply meant for this one.
     */
    private void start(Reply... replies) throws IOException {
        Files.createDirectories(STATE.getParent());
        Files.writeString(STATE, "{\"nextPollAt\":\"2100-01-01T00:00:00Z\"}");
        poller.reload();
        fake.reset(replies);
        Files.delete(STATE);
        poller.reload();
    }

    /** Moves the clock to the next poll time and ticks. */
    private void pollAgain() {
        clock.set(poller.state().nextPollAt);
        poller.tick();
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
    private final Map<Long, Instant> createdAt = new ConcurrentHashMap<>();

    private String pr(long id) {
        return event(id, "PullRequestEvent", "opened",
                createdAt.computeIfAbsent(id, k -> Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS)));
    }

    private long stored() {
        return clickHouse.query("SELECT count() AS c FROM events WHERE repo_name = {r:String}", Map.of("r", repo))
                .getFirst().getLong("c");
    }

    private long distinctStored() {
        return clickHouse.query("SELECT uniqExact(event_id) AS c FROM events WHERE repo_name = {r:String}",
                Map.of("r", repo)).getFirst().getLong("c");
    }

    /** The time between two requests, on the clock the poller runs on. */
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

        poller.tick();
        pollAgain();
        List<FakeGitHub.Request> r = fake.requests();
        assertEquals(3, r.size());
        assertNull(r.get(0).ifNoneMatch());
        assertTrue(r.get(1).uri().contains("page=2"), r.get(1).uri());
        assertNull(r.get(1).ifNoneMatch(), "later pages are not conditional");
        assertEquals("\"etag-1\"", r.get(2).ifNoneMatch());
        assertEquals(1000, gapMs(r, 2), "polls are X-Poll-Interval apart");
        assertEquals(4, stored());
        assertEquals("\"etag-1\"", poller.state().etag);
        assertEquals("not_modified", poller.state().lastOutcome);
    }

    @Test
    void followsXPollIntervalUpAndDown() throws Exception {
        start(FakeGitHub.notModified(), FakeGitHub.notModified().header("X-Poll-Interval", "3"),
                FakeGitHub.notModified(), FakeGitHub.notModified());
        poller.tick();
        pollAgain();
        pollAgain();
        pollAgain();
        List<FakeGitHub.Request> r = fake.requests();
        assertEquals(4, r.size());
        assertEquals(1000, gapMs(r, 1), "1 s interval");
        assertEquals(3000, gapMs(r, 2), "3 s interval");
        assertEquals(1000, gapMs(r, 3), "back to 1 s");
    }

    @Test
    void sleepsUntilTheResetOnceTheReserveIsReached() throws Exception {
        Instant reset = clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(4);
        start(FakeGitHub.notModified().header("X-RateLimit-Remaining", "5").header("X-RateLimit-Limit", "60")
                .header("X-RateLimit-Reset", Long.toString(reset.getEpochSecond())).header("X-RateLimit-Used", "55"));
        poller.tick();
        pollAgain(); // due by the interval, but the reserve is reached: no request
        assertEquals(1, fake.requests().size());
        assertEquals(reset.plusSeconds(1), poller.state().nextPollAt);
        assertEquals(PollState.Wait.RATE_LIMIT, poller.state().waitReason);
        pollAgain();
        assertEquals(2, fake.requests().size());
        assertFalse(fake.requests().get(1).at().isBefore(reset), "no request before the reset at " + reset);
        given().get("/q/metrics").then().body(containsString("github_poll_total{outcome=\"rate_limited\"}"));
    }

    @Test
    void waitsAsToldBy403And429() throws Exception {
        Instant reset = clock.instant().plusSeconds(6);
        start(FakeGitHub.status(403, "{\"message\":\"secondary rate limit\"}").header("Retry-After", "2"),
                FakeGitHub.status(429, "{\"message\":\"slow down\"}").header("Retry-After", "1"),
                FakeGitHub.status(403, "{\"message\":\"API rate limit exceeded\"}").header("X-RateLimit-Remaining", "0")
                        .header("X-RateLimit-Reset", Long.toString(reset.getEpochSecond())));
        poller.tick();
        pollAgain();
        pollAgain();
        pollAgain();
        List<FakeGitHub.Request> r = fake.requests();
        assertEquals(4, r.size());
        assertEquals(2000, gapMs(r, 1), "Retry-After 2");
        assertEquals(1000, gapMs(r, 2), "Retry-After 1");
        assertFalse(r.get(3).at().isBefore(reset), "polled before the reset");
    }

    @Test
    void backsOffAfterServerErrorsAndTimeoutsThenRecovers() throws Exception {
        long[] id = ids(2);
        start(FakeGitHub.status(500, "oops"), FakeGitHub.status(502, ""),
                FakeGitHub.notModified().held(), // longer than github.request-timeout
                FakeGitHub.ok(page(pr(id[0]), pr(id[1]))));
        poller.tick();
        for (int failures = 1; failures <= 3; failures++) {
            assertEquals(failures, poller.state().consecutiveFailures);
            assertEquals(PollState.Wait.BACKOFF, poller.state().waitReason);
            pollAgain();
        }
        assertEquals(2, stored());
        List<FakeGitHub.Request> r = fake.requests();
        assertEquals(4, r.size());
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
        start(new Reply(200, truncated, Map.of()).header("ETag", "\"bad\""), // no poll or rate headers at all
                FakeGitHub.status(200, "{\"message\":\"not an array\"}"),
                FakeGitHub.ok(page(pr(id[3]))).header("ETag", "\"good\""));
        poller.tick();
        assertEquals(2, stored(), "what parsed before the cut");
        pollAgain();
        pollAgain();
        assertEquals(3, stored());
        List<FakeGitHub.Request> r = fake.requests();
        assertNull(r.get(1).ifNoneMatch(), "a malformed page's ETag is not kept");
        assertEquals(3, distinctStored());
    }

    @Test
    void overlappingPollsAndARestartStoreEachEventOnce() throws Exception {
        long[] id = ids(5);
        start(FakeGitHub.ok(page(pr(id[2]), pr(id[1]), pr(id[0]))).header("ETag", "\"a\""),
                FakeGitHub.ok(page(pr(id[3]), pr(id[2]), pr(id[1]))).header("ETag", "\"b\"").header("X-Poll-Interval", "3"));
        poller.tick();
        pollAgain();
        assertEquals(4, stored());
        Instant nextPoll = poller.state().nextPollAt;

        // A restart: state and backlog come back from their files; the next poll waits for nextPollAt.
        fake.then(FakeGitHub.ok(page(pr(id[4]), pr(id[3]), pr(id[2]))).header("ETag", "\"c\""));
        poller.reload();
        assertEquals("\"b\"", poller.state().etag);
        clock.set(nextPoll.minusMillis(1));
        poller.tick();
        assertEquals(2, fake.requests().size(), "polled before the stored next-poll time");
        clock.set(nextPoll);
        poller.tick();
        List<FakeGitHub.Request> r = fake.requests();
        assertEquals(3, r.size());
        assertEquals("\"b\"", r.get(2).ifNoneMatch());
        assertEquals(5, stored());
        assertEquals(5, distinctStored());
    }

    @Test
    void stopsPagingOnceAPageHoldsOnlySeenEvents() throws Exception {
        long[] id = ids(2);
        String link = "<{base}/events?per_page=100&page=2>; rel=\"next\"";
        start(FakeGitHub.ok(page(pr(id[1]), pr(id[0]))).header("ETag", "\"x\""),
                FakeGitHub.ok(page(pr(id[1]), pr(id[0]))).header("ETag", "\"y\"").header("Link", link),
                FakeGitHub.notModified());
        poller.tick();
        pollAgain();
        pollAgain();
        assertEquals(3, fake.requests().size());
        assertFalse(fake.requests().get(2).uri().contains("page=2"), "page 2 was fetched though page 1 was all seen");
        assertEquals(2, stored());
    }

    @Test
    void eventsFetchedWhileClickHouseIsDownAreStoredOnceItIsBack() throws Exception {
        long[] id = ids(3);
        start(FakeGitHub.ok(page(pr(id[0]), pr(id[1]), pr(id[2]))).header("ETag", "\"k\""));
        // The insert fails for certain (a killed engine restarts within a second, maybe before it).
        clickHouse.execute("RENAME TABLE events TO events_down");
        try {
            poller.tick();
            assertEquals(3, poller.backlogSize(), "kept, not stored");
            assertTrue(Files.exists(data.dir().resolve("ingest-backlog.json")), "and spooled");
            // Then the engine dies with the backlog waiting, and comes back by itself.
            long restarts = embedded.engine().orElseThrow().restartCount();
            ProcessHandle engine = ProcessHandle.of(embedded.engine().orElseThrow().pid().orElseThrow()).orElseThrow();
            engine.destroyForcibly();
            engine.onExit().get(10, TimeUnit.SECONDS);
            clock.advance(Duration.ofSeconds(1));
            poller.tick(); // a flush against the dead engine
            assertEquals(3, poller.backlogSize());
            await("the engine's restart").atMost(Duration.ofSeconds(30))
                    .until(() -> embedded.engine().orElseThrow().restartCount() > restarts);
        } finally {
            await("the table back").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> {
                        clickHouse.execute("RENAME TABLE events_down TO events");
                        return true;
                    });
        }
        await("the flush").atMost(Duration.ofSeconds(30)).until(() -> {
            clock.advance(Duration.ofSeconds(1)); // past the flush's backoff, a second at a time
            poller.tick();
            return poller.backlogSize() == 0;
        });
        assertEquals(3, stored());
        assertFalse(Files.exists(data.dir().resolve("ingest-backlog.json")), "the spool is removed once stored");
    }

    @Test
    void theTokenIsSentButNeverLoggedOrSaved() throws Exception {
        List<String> logged;
        try (CapturedLogs logs = CapturedLogs.start()) {
            long[] id = ids(1);
            start(FakeGitHub.status(500, "boom"), FakeGitHub.status(403, "{}").header("Retry-After", "1"),
                    FakeGitHub.status(401, "{\"message\":\"Bad credentials\"}"),
                    FakeGitHub.ok(page(pr(id[0]))).header("ETag", "\"t\""));
            poller.tick();
            pollAgain();
            pollAgain();
            pollAgain();
            assertEquals(1, stored());
            logged = logs.lines();
        }
        assertFalse(logged.isEmpty(), "the failures were logged");
        for (String line : logged) {
            assertFalse(line.contains(FakeGitHub.TOKEN), "token in log: " + line);
        }
        String state = Files.readString(STATE);
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
        start(FakeGitHub.ok("[\n  " + event(id[0], "IssuesEvent", "opened", at) + ",\n  "
                + event(id[1], "PushEvent", null, at) + ",\n  "
                + event(id[2], "WatchEvent", "started", at) + "\n]").header("ETag", "\"raw\""));
        Instant fetchedAt = clock.instant();
        poller.tick();
        assertEquals(2, stored());
        List<String> lines = archived(RawArchive.fileName(fetchedAt));
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
        // Half the body, then nothing: the tick returns only because the 1 s request timeout
        // covers the body too.
        start(FakeGitHub.ok(page(pr(id[0]))).header("ETag", "\"slow\"").trickled(),
                FakeGitHub.ok(page(pr(id[1]))).header("ETag", "\"fast\""));
        poller.tick();
        assertEquals("error", poller.state().lastOutcome);
        assertEquals(0, stored());
        pollAgain();
        assertEquals(1, stored());
        assertEquals("\"fast\"", poller.state().etag);
        assertNull(fake.requests().get(1).ifNoneMatch(), "the trickled answer was given up, not taken");
    }

    @Test
    void aFailedLaterPageLeavesEtagAndSeenIdsSoThePollIsRetriedWhole() throws Exception {
        long[] id = ids(4);
        Reply first = FakeGitHub.ok(page(pr(id[3]), pr(id[2]))).header("ETag", "\"p1\"")
                .header("Link", "<{base}/events?per_page=100&page=2>; rel=\"next\"");
        start(first, FakeGitHub.status(502, ""), first, FakeGitHub.ok(page(pr(id[1]), pr(id[0]))),
                FakeGitHub.notModified());
        poller.tick();
        pollAgain();
        pollAgain();
        List<FakeGitHub.Request> r = fake.requests();
        assertEquals(5, r.size());
        assertNull(r.get(2).ifNoneMatch(), "the ETag of an unfinished poll is not kept");
        assertTrue(r.get(3).uri().contains("page=2"), "the retry fetches page 2 again: " + r.get(3).uri());
        assertEquals("\"p1\"", r.get(4).ifNoneMatch());
        assertEquals(4, stored());
    }

    @Test
    void theRateLimitReserveIsCheckedBeforeEveryPage() throws Exception {
        long[] id = ids(3);
        Instant reset = clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(4);
        String link = "<{base}/events?per_page=100&page=2>; rel=\"next\"";
        Reply first = FakeGitHub.ok(page(pr(id[2]))).header("ETag", "\"r\"").header("Link", link);
        start(first.header("X-RateLimit-Remaining", "5").header("X-RateLimit-Limit", "60")
                        .header("X-RateLimit-Reset", Long.toString(reset.getEpochSecond())).header("X-RateLimit-Used", "55"),
                first, FakeGitHub.ok(page(pr(id[1]), pr(id[0]))));
        poller.tick();
        assertEquals(1, fake.requests().size(), "page 2 waits for the reset");
        assertEquals(reset.plusSeconds(1), poller.state().nextPollAt);
        pollAgain();
        List<FakeGitHub.Request> r = fake.requests();
        assertEquals(3, r.size());
        assertFalse(r.get(1).at().isBefore(reset), "a page fetched before the reset");
        assertFalse(r.get(1).uri().contains("page=2"), "after the reset the poll starts over: " + r.get(1).uri());
        assertNull(r.get(1).ifNoneMatch());
        assertEquals(3, stored());
    }

    @Test
    void aLinkOutsideTheApiUrlIsNotFollowed() throws Exception {
        FakeGitHub elsewhere = FakeGitHub.elsewhere();
        try {
            long[] id = ids(1);
            start(FakeGitHub.ok(page(pr(id[0]))).header("ETag", "\"e\"")
                    .header("Link", "<" + elsewhere.baseUrl() + "/events?per_page=100&page=2>; rel=\"next\""));
            poller.tick();
            pollAgain();
            assertEquals(2, fake.requests().size());
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
                .header("X-RateLimit-Reset", Long.toString(clock.instant().getEpochSecond() + 3600)));
        poller.tick();
        PollState saved = savedState();
        assertEquals("rate_limited", saved.lastOutcome);
        long waitMs = Duration.between(fake.requests().getFirst().at(), saved.nextPollAt).toMillis();
        // The first backoff is at most POLLER_BACKOFF_INITIAL (0.3 s); POLLER_MIN_INTERVAL (1 s) wins.
        assertEquals(1000, waitMs, "POLLER_MIN_INTERVAL is 1 s");
        assertEquals(PollState.Wait.BACKOFF, saved.waitReason);
    }

    @Test
    void retryAfterCountsFromWhenTheAnswerArrived() throws Exception {
        start(FakeGitHub.status(429, "{}").header("Retry-After", "2").taking(Duration.ofMillis(600)));
        poller.tick();
        assertEquals("rate_limited", savedState().lastOutcome);
        long waitMs = Duration.between(fake.requests().getFirst().at(), savedState().nextPollAt).toMillis();
        assertEquals(2600, waitMs, "2 s after the answer, which took 0.6 s");
    }

    @Test
    void aLocalStorageFailureBacksOffInsteadOfRetryingEveryTick() throws Exception {
        start();
        poller.tick();
        assertEquals("not_modified", savedState().lastOutcome);
        // After the start: a reload would move the unreadable spool aside.
        Path spool = data.dir().resolve("ingest-backlog.json");
        deleteSpoolTempFiles();
        Files.createDirectories(spool.resolve("blocked")); // the spool cannot be written
        clickHouse.execute("RENAME TABLE events TO events_away");
        long[] id = ids(1);
        try {
            fake.then(FakeGitHub.ok(page(pr(id[0]))).header("ETag", "\"l\""));
            pollAgain();
            PollState saved = savedState();
            assertEquals("error", saved.lastOutcome);
            assertEquals(1, saved.consecutiveFailures);
            assertEquals(PollState.Wait.BACKOFF, saved.waitReason);
            assertTrue(saved.nextPollAt.isAfter(saved.lastPollAt));
            poller.tick();
            assertEquals(2, fake.requests().size(), "retried before its backoff");
            try (var files = Files.list(data.dir())) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no spool copies left");
            }
        } finally {
            clickHouse.execute("RENAME TABLE events_away TO events");
            Files.delete(spool.resolve("blocked"));
            Files.delete(spool);
        }
        clock.advance(Duration.ofSeconds(1)); // POLLER_BACKOFF_MAX: the flush is due again
        poller.tick();
        assertEquals(1, stored(), "the event, stored from the backlog");
    }

    private void deleteSpoolTempFiles() throws IOException {
        try (var files = Files.list(data.dir())) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.delete(f);
            }
        }
    }

    private PollState savedState() {
        return savedState(json, STATE);
    }

    /** The state file as the poller last saved it (written whole, so never half a poll); a fresh state before. */
    static PollState savedState(ObjectMapper json, Path file) {
        try {
            return Files.exists(file) ? json.readValue(file.toFile(), PollState.class) : new PollState();
        } catch (IOException e) {
            return new PollState();
        }
    }

    @Test
    void theScheduledJobTicksEveryPollerTick() {
        Trigger job = scheduler.getScheduledJob(EventsPoller.JOB);
        assertTrue(job != null, "no scheduled job " + EventsPoller.JOB);
        Duration untilNext = Duration.between(Instant.now(), job.getNextFireTime());
        assertTrue(untilNext.compareTo(Duration.ofMinutes(50)) > 0, "POLLER_TICK is 1h here; next tick in " + untilNext);
    }

    @Test
    void healthReportsThePoller() {
        given().get("/q/health/well").then().statusCode(200)
                .body(containsString("\"poller\"")).body(containsString("last_success_at"));
    }
}
