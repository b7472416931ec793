package io.github.eventsstats.poller;

import io.github.eventsstats.event.EventMapper;
import io.github.eventsstats.event.PageParser;
import io.github.eventsstats.event.TypeSelection;
import io.github.eventsstats.github.EventsPage;
import io.github.eventsstats.github.GitHubHeaders;
import io.github.eventsstats.github.GitHubRequest;
import io.github.eventsstats.github.RateBudget;
import io.github.eventsstats.platform.DataConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.time.InstantSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poller's timing and paging rules, with exact instants: no server, no clock but these. */
class PollPlannerTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String API = "https://api.github.test";
    private static final GitHubRequest FIRST = GitHubRequest.events(100);
    /** No jitter: every backoff is exactly half its capped delay. */
    private static final RandomGenerator NO_JITTER = () -> 0L;

    private final PageParser parser = new PageParser(new EventMapper(TypeSelection.DEFAULTS, InstantSource.system()), false);

    /** The real mapping with its real defaults, as the service reads it, and some overrides. */
    static PollerConfig config(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors() // ${data.dir} expansion
                .withMapping(PollerConfig.class).withMapping(DataConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus's 5s, 10m
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build();
        return config.getConfigMapping(PollerConfig.class);
    }

    private static PollPlanner planner(PollerConfig config) {
        return new PollPlanner(config, url -> url.startsWith(API + "/"), NO_JITTER, budget(config),
                RateBudget.Use.FIREHOSE);
    }

    private static RateBudget budget(PollerConfig config) {
        return new RateBudget(config.rateLimitReserve());
    }

    private static EventsPage answer(int status, String body, Instant at, String... headers) {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return GitHubHeaders.page(status, body.getBytes(StandardCharsets.UTF_8), h::get, at);
    }

    private static String events(long... ids) {
        StringBuilder b = new StringBuilder("[");
        for (long id : ids) {
            b.append(b.length() > 1 ? "," : "").append("{\"id\":\"").append(id).append("\",\"type\":\"WatchEvent\",")
                    .append("\"actor\":{\"id\":1,\"login\":\"octo\"},\"repo\":{\"id\":2,\"name\":\"o/r\"},")
                    .append("\"payload\":{\"action\":\"started\"},\"created_at\":\"2026-03-01T09:59:00Z\"}");
        }
        return b.append(']').toString();
    }

    /** One poll that gets {@code response} to its first page and nothing else. */
    private PollPlanner.Result onePoll(PollPlanner planner, PollState state, Instant at, EventsPage response) {
        PollPlanner.Poll poll = planner.begin(state, at, FIRST);
        assertTrue(poll.next(at).isPresent());
        poll.answered(response, response.ok() ? parser.parse(response.body()) : null);
        assertTrue(poll.next(at).isEmpty());
        return poll.finish(at);
    }

    @Test
    void followsXPollIntervalUpAndDownButNeverBelowTheMinimum() {
        PollPlanner planner = planner(config("poller.min-interval", "30s"));
        PollState state = new PollState();
        assertEquals(T0.plusSeconds(60), onePoll(planner, state, T0, answer(304, "", T0, "X-Poll-Interval", "60")).nextPollAt());
        Instant t1 = T0.plusSeconds(60);
        assertEquals(t1.plusSeconds(120), onePoll(planner, state, t1, answer(304, "", t1, "X-Poll-Interval", "120")).nextPollAt());
        Instant t2 = t1.plusSeconds(120);
        assertEquals(t2.plusSeconds(30), onePoll(planner, state, t2, answer(304, "", t2, "X-Poll-Interval", "1")).nextPollAt(),
                "1 s asked for, POLLER_MIN_INTERVAL kept");
        assertEquals(Duration.ofSeconds(30), planner.interval(state));
    }

    @Test
    void aPollIsDueFromItsNextPollTimeOn() {
        PollPlanner planner = planner(config());
        PollState state = new PollState();
        assertTrue(planner.due(state, T0), "a fresh state polls at once");
        onePoll(planner, state, T0, answer(304, "", T0, "X-Poll-Interval", "60"));
        assertFalse(planner.due(state, T0.plusSeconds(59).plusMillis(999)));
        assertTrue(planner.due(state, T0.plusSeconds(60)));
    }

    @Test
    void retryAfterCountsFromTheAnswersArrival() {
        PollPlanner planner = planner(config());
        PollState state = new PollState();
        Instant arrived = T0.plusMillis(600);
        PollPlanner.Poll poll = planner.begin(state, T0, FIRST);
        poll.next(T0);
        poll.answered(answer(429, "{}", arrived, "Retry-After", "2"), null);
        PollPlanner.Result result = poll.finish(arrived.plusMillis(50));
        assertEquals(PollPlanner.Outcome.RATE_LIMITED, result.outcome());
        assertEquals(T0.plusMillis(2600), result.nextPollAt());
        assertEquals(PollState.Wait.RETRY_AFTER, result.waitingFor());
        assertEquals(0, state.consecutiveFailures, "being told to wait is no failure");
    }

    @Test
    void anExhaustedLimitWaitsForItsResetAndASecondaryOneForTheMinimumInterval() {
        PollPlanner planner = planner(config("poller.min-interval", "60s"));
        PollState state = new PollState();
        Instant reset = T0.plusSeconds(900);
        PollPlanner.Result exhausted = onePoll(planner, state, T0, answer(403, "{}", T0, "X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset", Long.toString(reset.getEpochSecond())));
        assertEquals(reset.plusSeconds(1), exhausted.nextPollAt());
        assertEquals(PollState.Wait.RATE_LIMIT, exhausted.waitingFor());

        PollState other = new PollState(); // another service's: the budget above is exhausted
        PollPlanner.Result secondary = onePoll(planner(config("poller.min-interval", "60s")), other, T0, answer(403, "{}", T0, "X-RateLimit-Remaining", "4000",
                "X-RateLimit-Reset", Long.toString(reset.getEpochSecond())));
        assertEquals(T0.plusSeconds(60), secondary.nextPollAt(), "backoff of 2.5 s, but a minute at least");
        assertEquals(PollState.Wait.BACKOFF, secondary.waitingFor());
        assertEquals(1, other.consecutiveFailures);
    }

    @Test
    void theReserveIsCheckedBeforeEveryPageAndSleepsUntilTheReset() {
        PollPlanner planner = planner(config("poller.rate-limit-reserve", "5"));
        PollState state = new PollState();
        Instant reset = T0.plusSeconds(300);
        PollPlanner.Poll poll = planner.begin(state, T0, FIRST);
        assertEquals(Optional.of(new PollPlanner.Fetch(FIRST, Optional.empty())), poll.next(T0));
        poll.answered(answer(200, events(1), T0, "X-RateLimit-Remaining", "5", "X-RateLimit-Limit", "60",
                "X-RateLimit-Reset", Long.toString(reset.getEpochSecond()), "ETag", "\"e\"",
                "Link", "<" + API + "/events?page=2>; rel=\"next\""), parser.parse(events(1).getBytes(StandardCharsets.UTF_8)));
        assertTrue(poll.next(T0.plusSeconds(1)).isEmpty(), "page 2 would spend the reserve");
        PollPlanner.Result result = poll.finish(T0.plusSeconds(1));
        assertEquals(PollPlanner.Outcome.RATE_LIMITED, result.outcome());
        assertEquals(reset.plusSeconds(1), result.nextPollAt());
        assertEquals(PollState.Wait.RATE_LIMIT, result.waitingFor());
        assertEquals(null, state.etag, "an unfinished poll keeps no ETag");
        assertTrue(result.notes().stream().anyMatch(n -> n.level() == Logger.Level.INFO && n.message().contains("5 requests left")));
        // After the reset the reserve no longer holds the poll back.
        assertTrue(planner.begin(state, reset, FIRST).next(reset).isPresent());
    }

    @Test
    void backoffDoublesWithJitterUpToItsCap() {
        PollPlanner none = planner(config("poller.backoff-initial", "5s", "poller.backoff-max", "10m"));
        assertEquals(Duration.ofMillis(2500), none.backoff(1));
        assertEquals(Duration.ofSeconds(5), none.backoff(2));
        assertEquals(Duration.ofSeconds(10), none.backoff(3));
        assertEquals(Duration.ofMinutes(5), none.backoff(40), "capped at 10 min, halved");
        PollPlanner most = new PollPlanner(config("poller.backoff-initial", "5s", "poller.backoff-max", "10m"),
                url -> true, new RandomGenerator() {
                    @Override
                    public long nextLong() {
                        return 0;
                    }

                    @Override
                    public long nextLong(long bound) {
                        return bound - 1; // the largest jitter
                    }
                }, new RateBudget(5), RateBudget.Use.FIREHOSE);
        assertEquals(Duration.ofSeconds(5), most.backoff(1));
        assertEquals(Duration.ofMinutes(10), most.backoff(40));
        PollPlanner random = new PollPlanner(config("poller.backoff-initial", "5s", "poller.backoff-max", "10m"),
                url -> true, new SplittableRandom(7), new RateBudget(5), RateBudget.Use.FIREHOSE);
        for (int i = 0; i < 50; i++) {
            long first = random.backoff(1).toMillis();
            long third = random.backoff(3).toMillis();
            long late = random.backoff(40).toMillis();
            assertTrue(first >= 2500 && first <= 5000, "first: " + first);
            assertTrue(third >= 10000 && third <= 20000, "third: " + third);
            assertTrue(late >= 300000 && late <= 600000, "capped: " + late);
        }
    }

    @Test
    void failuresBackOffFromWhenThePollEndedAndALaterSuccessResetsThem() {
        PollPlanner planner = planner(config("poller.backoff-initial", "5s", "poller.backoff-max", "10m"));
        PollState state = new PollState();
        Instant t = T0;
        for (int n = 1; n <= 3; n++) {
            PollPlanner.Poll poll = planner.begin(state, t, FIRST);
            poll.next(t);
            poll.failed("connect timed out");
            Instant ended = t.plusSeconds(10);
            PollPlanner.Result result = poll.finish(ended);
            assertEquals(PollPlanner.Outcome.ERROR, result.outcome());
            assertEquals(ended.plus(planner.backoff(n)), result.nextPollAt(), "failure " + n);
            t = result.nextPollAt();
        }
        assertEquals(3, state.consecutiveFailures);
        PollPlanner.Result ok = onePoll(planner, state, t, answer(304, "", t, "X-Poll-Interval", "60"));
        assertEquals(0, state.consecutiveFailures);
        assertEquals(t, state.lastSuccessAt);
        assertTrue(ok.notes().stream().anyMatch(n -> n.message().contains("answers again after 3 failed polls")));
    }

    @Test
    void theStateSaysWhyThePollFailedInWordsUntilASuccessClearsIt() {
        PollPlanner planner = planner(config());
        PollState state = new PollState();
        onePoll(planner, state, T0, answer(502, "{}", T0));
        assertEquals("GitHub is failing (HTTP 502)", state.lastFailure);
        Instant reset = T0.plusSeconds(900);
        Instant t = state.nextPollAt;
        onePoll(planner, state, t, answer(403, "{}", t, "X-RateLimit-Remaining", "0",
                "X-RateLimit-Reset", Long.toString(reset.getEpochSecond())));
        assertEquals("rate limit reached", state.lastFailure);
        onePoll(planner, state, state.nextPollAt, answer(304, "", state.nextPollAt, "X-Poll-Interval", "60"));
        assertEquals(null, state.lastFailure);
    }

    @Test
    void failuresAreLoggedAtTheFirstSecondFourthAndEighthInARow() {
        PollPlanner planner = planner(config());
        PollState state = new PollState();
        List<Integer> logged = new java.util.ArrayList<>();
        for (int n = 1; n <= 9; n++) {
            PollPlanner.Poll poll = planner.begin(state, T0, FIRST);
            poll.next(T0);
            poll.failed("HTTP 502");
            if (poll.finish(T0).notes().stream().anyMatch(note -> note.level() == Logger.Level.WARN)) {
                logged.add(n);
            }
        }
        assertEquals(List.of(1, 2, 4, 8), logged);
    }

    @Test
    void followsLinksWithinTheApiUpToMaxPagesAndStopsOnASeenPage() {
        PollPlanner planner = planner(config("poller.max-pages", "2"));
        PollState state = new PollState();
        String next = API + "/events?page=2";
        PollPlanner.Poll poll = planner.begin(state, T0, FIRST);
        poll.next(T0);
        poll.answered(answer(200, events(11, 12), T0, "ETag", "\"a\"", "Link", "<" + next + ">; rel=\"next\""),
                parser.parse(events(11, 12).getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.of(new PollPlanner.Fetch(GitHubRequest.link(next), Optional.empty())), poll.next(T0), "later pages are not conditional");
        poll.answered(answer(200, events(13), T0, "Link", "<" + API + "/events?page=3>; rel=\"next\""),
                parser.parse(events(13).getBytes(StandardCharsets.UTF_8)));
        assertTrue(poll.next(T0).isEmpty(), "POLLER_MAX_PAGES");
        poll.finish(T0);
        assertEquals("\"a\"", state.etag);
        assertEquals(List.of(11L, 12L, 13L), state.recentIds);

        // Only ids seen before (by equality; a smaller id is not "older") stop the paging.
        PollPlanner.Poll again = planner.begin(state, T0, FIRST);
        again.next(T0);
        again.answered(answer(200, events(12, 11), T0, "Link", "<" + next + ">; rel=\"next\""),
                parser.parse(events(12, 11).getBytes(StandardCharsets.UTF_8)));
        assertTrue(again.next(T0).isEmpty(), "a page of seen events ends the poll");
        PollPlanner.Poll lower = planner.begin(state, T0, FIRST);
        lower.next(T0);
        lower.answered(answer(200, events(12, 5), T0, "Link", "<" + next + ">; rel=\"next\""),
                parser.parse(events(12, 5).getBytes(StandardCharsets.UTF_8)));
        assertTrue(lower.next(T0).isPresent(), "id 5 was never seen, whatever its size");
    }

    @Test
    void aLinkOutsideTheApiIsNotFollowedAndSaidOnce() {
        PollPlanner planner = planner(config());
        PollState state = new PollState();
        for (int i = 0; i < 2; i++) {
            PollPlanner.Poll poll = planner.begin(state, T0, FIRST);
            poll.next(T0);
            poll.answered(answer(200, events(100 + i), T0, "Link", "<https://evil.test/events?page=2>; rel=\"next\""),
                    parser.parse(events(100 + i).getBytes(StandardCharsets.UTF_8)));
            assertTrue(poll.next(T0).isEmpty());
            PollPlanner.Result result = poll.finish(T0);
            assertEquals(PollPlanner.Outcome.OK, result.outcome());
            assertEquals(i == 0 ? 1 : 0, result.notes().stream().filter(n -> n.level() == Logger.Level.WARN).count());
        }
    }

    @Test
    void aForeignLinkIsLoggedWithItsControlCharactersEscaped() {
        PollPlanner.Poll poll = planner(config()).begin(new PollState(), T0, FIRST);
        poll.next(T0);
        poll.answered(answer(200, events(100), T0, "Link", "<https://evil.test/\u001b[31mforged\r\nERROR x>; rel=\"next\""),
                parser.parse(events(100).getBytes(StandardCharsets.UTF_8)));
        String warned = poll.finish(T0).notes().stream().filter(n -> n.level() == Logger.Level.WARN).findFirst()
                .orElseThrow().message();
        assertTrue(warned.contains("evil.test") && warned.chars().noneMatch(Character::isISOControl), warned);
    }

    @Test
    void aMalformedPageFailsThePollAndKeepsNeitherEtagNorIds() {
        PollPlanner planner = planner(config());
        PollState state = new PollState();
        String cut = events(1, 2).substring(0, 200);
        PollPlanner.Result result = onePoll(planner, state, T0, answer(200, cut, T0, "ETag", "\"bad\""));
        assertEquals(PollPlanner.Outcome.ERROR, result.outcome());
        assertEquals(null, state.etag);
        assertTrue(state.recentIds.isEmpty());
        assertTrue(result.notes().getFirst().message().startsWith("poller: poll failed (malformed events page: "),
                result.notes().getFirst().message());
    }

    @Test
    void aLocalStorageFailureIsAnErrorThatBacksOff() {
        PollPlanner planner = planner(config("poller.backoff-initial", "4s"));
        PollState state = new PollState();
        PollPlanner.Poll poll = planner.begin(state, T0, FIRST);
        poll.next(T0);
        poll.answered(answer(200, events(1), T0, "X-Poll-Interval", "60"), parser.parse(events(1).getBytes(StandardCharsets.UTF_8)));
        poll.notKept("disk full");
        PollPlanner.Result result = poll.finish(T0.plusSeconds(1));
        assertEquals(PollPlanner.Outcome.ERROR, result.outcome());
        assertEquals(T0.plusSeconds(3), result.nextPollAt(), "half of 4 s after the poll ended");
        assertEquals(Logger.Level.ERROR, result.notes().getFirst().level());
        assertTrue(state.recentIds.isEmpty(), "the events are not stored: they are not seen either");
    }

    @Test
    void aFullBacklogPausesForAnIntervalAtLeastAndTheFlushEndsThePause() {
        PollPlanner planner = planner(config("poller.min-interval", "60s", "poller.backoff-initial", "5s"));
        PollState state = new PollState();
        PollPlanner.Result paused = planner.paused(state, T0, 100_000);
        assertEquals(PollPlanner.Outcome.PAUSED, paused.outcome());
        assertEquals(T0.plusSeconds(60), paused.nextPollAt());
        assertEquals(Logger.Level.ERROR, paused.notes().getFirst().level());

        assertTrue(planner.flushDue(T0));
        planner.flushFailed(T0, 100_000, "unreachable");
        assertFalse(planner.flushDue(T0.plusMillis(2499)));
        assertTrue(planner.flushDue(T0.plusMillis(2500)));
        planner.flushed(state, T0.plusSeconds(3));
        assertEquals(T0.plusSeconds(3), state.nextPollAt, "polling resumes at once");
    }

    @Test
    void overdueAfterThreeIntervalsWithoutSuccessExceptWhileToldToWait() {
        PollPlanner planner = planner(config("poller.min-interval", "60s"));
        PollState state = new PollState();
        Instant started = T0;
        assertFalse(planner.overdue(state, started, T0.plusSeconds(180)));
        assertTrue(planner.overdue(state, started, T0.plusSeconds(181)));
        state.waitReason = PollState.Wait.RETRY_AFTER;
        assertFalse(planner.overdue(state, started, T0.plusSeconds(3600)));
        state.waitReason = PollState.Wait.INTERVAL;
        state.lastSuccessAt = T0.plusSeconds(150);
        assertFalse(planner.overdue(state, started, T0.plusSeconds(300)), "counted from the last success");
        state.pollIntervalSeconds = 1;
        assertFalse(planner.overdue(state, started, T0.plusSeconds(300)), "X-Poll-Interval 1, but polls keep 60 s");
    }

    @Test
    void durationsInLogsAreReadable() {
        assertEquals("300 ms", PollPlanner.readable(Duration.ofMillis(300)));
        assertEquals("4.5 s", PollPlanner.readable(Duration.ofMillis(4500)));
        assertEquals("30 s", PollPlanner.readable(Duration.ofSeconds(30)));
        assertEquals("2 min 5 s", PollPlanner.readable(Duration.ofSeconds(125)));
        assertEquals("10 min", PollPlanner.readable(Duration.ofMinutes(10)));
        assertEquals("1 h 3 min", PollPlanner.readable(Duration.ofSeconds(3780 + 7)));
    }

    @Test
    void theStateFileDefaultsToTheDataDirectory() {
        assertEquals(java.nio.file.Path.of("data/client-state.json"), config().stateFile());
        assertEquals(java.nio.file.Path.of("/srv/x/client-state.json"), config("data.dir", "/srv/x").stateFile());
        assertEquals(java.nio.file.Path.of("/srv/x/ingest-backlog.json"), config("data.dir", "/srv/x").backlogFile());
    }
}
