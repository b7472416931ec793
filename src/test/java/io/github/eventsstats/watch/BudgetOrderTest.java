package io.github.eventsstats.watch;

import io.github.eventsstats.github.FakeGitHub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user's repositories first in the rate budget: watched repositories (feeds and histories),
 * then those on demand, then the firehose from what remains above the reserve. The fake GitHub
 * counts every request as GitHub does (a 304 free) and answers 403 past the limit; time is the
 * fake clock's, moved by the test between ticks.
 */
@QuarkusTest
@TestProfile(WatchTestProfile.class)
class BudgetOrderTest extends WatchTestBase {

    private static final Duration STEP = Duration.ofSeconds(10);
    private static final long RESERVE = 5; // POLLER_RATE_LIMIT_RESERVE's default

    /**
     * The firehose as GitHub serves it to a busy world: a page of new events at every poll (never
     * a 304), X-Poll-Interval 60 s.
     */
    private void busyFirehose() throws IOException {
        String repo = unique("fh-org");
        AtomicLong ids = new AtomicLong(nextIds);
        nextIds += 1_000_000;
        fake.route("/events", r -> {
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long id = ids.getAndIncrement();
                events.add(LifecycleTest.prEvent(id, repo, "opened", (int) (id % 100_000) + 1, "alice", clock.instant()));
            }
            return FakeGitHub.ok("[" + String.join(",", events) + "]").header("X-Poll-Interval", "60")
                    .header("ETag", "\"" + ids.get() + "\"");
        });
        Files.delete(DIR.resolve("client-state.json"));
        firehose.reload();
    }

    /** A repository's history, its events feed quiet (a 304 after the first answer). */
    private GeneratedHistory history(String owner, int pulls) {
        GeneratedHistory h = new GeneratedHistory(unique(owner), pulls, 40, 120, clock.instant(), owner.hashCode());
        h.serve(fake);
        return h;
    }

    private boolean loaded(String repository) {
        return list.get(repository).map(WatchedRepository::historyLoaded).orElse(false);
    }

    private void step() {
        firehose.tick();
        watch.tick();
        clock.advance(STEP);
    }

    private int firehosePolls() {
        return (int) fake.requests().stream().filter(r -> r.uri().startsWith("/events")).count();
    }

    @Test
    void withoutATokenAWatchedRepositoryOf150PullRequestsIsExactWithinMinutesAndTheFirehosePollsWithWhatIsLeft()
            throws IOException {
        Instant start = clock.instant();
        Instant reset = start.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        fake.rateLimit(60, reset); // no token: 60 requests an hour
        busyFirehose();
        GeneratedHistory h = history("mine-org", 150);
        watch(h.name);

        while (!loaded(h.name) && clock.instant().isBefore(start.plus(Duration.ofMinutes(10)))) {
            step();
        }
        assertTrue(loaded(h.name), "not loaded within 10 minutes");
        Duration took = Duration.between(start, clock.instant());
        assertTrue(took.compareTo(Duration.ofMinutes(3)) <= 0, "loaded after " + took);
        LifecycleTest.assertExact(h, 90, false);
        LifecycleTest.assertExact(h, 365, true);

        int pollsAtLoad = firehosePolls();
        while (clock.instant().isBefore(reset.minusSeconds(1))) {
            step();
        }
        assertEquals(0, fake.overLimit(), "a request past the limit");
        assertTrue(fake.spent() <= 60 - RESERVE, "the reserve was spent: " + fake.spent());
        assertTrue(firehosePolls() - pollsAtLoad >= 20, "the firehose went on with what was left: "
                + (firehosePolls() - pollsAtLoad) + " polls after the load");
        // Used but for the reserve and the few requests the watched repository's claim keeps for its next polls.
        assertTrue(fake.spent() >= 60 - RESERVE - 5, "what was left above the reserve was used: " + fake.spent());
    }

    private long pagesLoaded(GeneratedHistory h) {
        return list.get(h.name).orElseThrow().lists().stream().mapToLong(l -> l.pagesLoaded).sum();
    }

    @ParameterizedTest(name = "limit {0}, {1} left at the start")
    @CsvSource({"60, 60", "5000, 40"})
    void theRateLimitIsNeverExceededCountedAtTheFakeWithoutATokenAndWithOne(long limit, long left) throws IOException {
        Instant start = clock.instant();
        Instant reset = start.plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        fake.rateLimit(limit, reset);
        fake.spend(limit - left); // with a token shared with others, most of the window may be gone already
        busyFirehose();
        // Histories of about 20 requests each: the watched ones alone want more than the first window holds.
        List<GeneratedHistory> watched = List.of(history("w1-org", 400), history("w2-org", 400),
                history("w3-org", 400));
        watched.forEach(h -> watch(h.name));
        GeneratedHistory asked = history("ask-org", 60);
        assertEquals("queued", ((java.util.Map<?, ?>) LifecycleTest.get("/metrics/pull-requests/" + asked.name)
                .get("history")).get("state"));

        while (clock.instant().isBefore(reset.minusSeconds(1))) {
            step();
        }
        assertEquals(0, fake.overLimit(), "a request past the limit in the first window");
        assertTrue(fake.spent() <= left - RESERVE, "the reserve was spent: " + fake.spent() + " of " + left);
        assertTrue(fake.spent() >= left - RESERVE - 10, "the window was used: " + fake.spent() + " of " + left);
        assertFalse(watched.stream().allMatch(h -> loaded(h.name)), "the watched loads want more than the window");
        assertEquals(0, pagesLoaded(asked), "a page for the repository asked about while watched ones wait");
        assertEquals("queued", list.get(asked.name).map(History::of).orElseThrow().state());

        // The next window, whole: the rest of the loads, then the firehose; still never past the limit.
        int spentFirst = fake.spent();
        while (clock.instant().isBefore(reset.plus(Duration.ofHours(1)).minusSeconds(1))) {
            step();
        }
        assertEquals(0, fake.overLimit(), "a request past the limit in the second window");
        assertTrue(fake.spent() - spentFirst <= limit - RESERVE, "the reserve of the second window was spent");
        for (GeneratedHistory h : watched) {
            assertTrue(loaded(h.name), h.name + " not loaded");
        }
        assertTrue(loaded(asked.name), "the repository asked about is loaded by the second window");
        LifecycleTest.assertExact(asked, 90, false);
        assertTrue(firehosePolls() > 1, "the firehose got what was left");
    }
}
