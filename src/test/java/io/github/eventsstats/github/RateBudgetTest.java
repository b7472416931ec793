package io.github.eventsstats.github;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared rate budget's rules, with exact instants. */
class RateBudgetTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant RESET = T0.plus(Duration.ofHours(1));

    private static Optional<EventsPage.RateLimit> window(long limit, long remaining) {
        return Optional.of(new EventsPage.RateLimit(limit, remaining, RESET, limit - remaining));
    }

    /** A budget that has learnt a window of {@code remaining} of {@code limit}. */
    private static RateBudget learnt(long reserve, long limit, long remaining) {
        RateBudget budget = new RateBudget(reserve);
        budget.tryAcquire(RateBudget.Use.FIREHOSE, T0).orElseThrow().answered(window(limit, remaining));
        return budget;
    }

    @Test
    void beforeTheFirstAnswerOneRequestAtATimeLearnsTheWindow() {
        RateBudget budget = new RateBudget(5);
        RateBudget.Permit first = budget.tryAcquire(RateBudget.Use.WATCHED, T0).orElseThrow();
        assertTrue(budget.tryAcquire(RateBudget.Use.FIREHOSE, T0).isEmpty(), "a second request before the window is known");
        assertEquals(T0, budget.retryAt(T0), "asked again at the next tick");
        first.answered(window(5000, 4999));
        assertTrue(budget.tryAcquire(RateBudget.Use.FIREHOSE, T0).isPresent());
    }

    @Test
    void theFirehoseSpendsDownToTheReserveAndRequestsInFlightCount() {
        RateBudget budget = learnt(5, 60, 8);
        RateBudget.Permit a = budget.tryAcquire(RateBudget.Use.FIREHOSE, T0).orElseThrow();
        RateBudget.Permit b = budget.tryAcquire(RateBudget.Use.FIREHOSE, T0).orElseThrow();
        budget.tryAcquire(RateBudget.Use.FIREHOSE, T0).orElseThrow();
        assertTrue(budget.tryAcquire(RateBudget.Use.FIREHOSE, T0).isEmpty(), "8 - 3 in flight is the reserve");
        assertEquals(Optional.of(5L), budget.snapshot(T0).available());
        a.unanswered();
        a.unanswered(); // settled once only
        assertEquals(Optional.of(6L), budget.snapshot(T0).available());
        b.answered(window(60, 7));
        assertEquals(Optional.of(6L), budget.snapshot(T0).available(), "7 left, one still in flight");
        assertEquals(RESET.plusSeconds(1), budget.retryAt(T0));
    }

    @Test
    void watchedRepositoriesComeFirstThenOnDemandThenTheFirehoseThenEnrichment() {
        RateBudget budget = learnt(5, 5000, 300);
        budget.firehose(Optional.of(Duration.ofSeconds(60)), 3); // 60 polls of 3 pages until the reset
        assertEquals(180, budget.snapshot(T0).firehoseNeeds());
        budget.claim(RateBudget.Tier.WATCHED, 20);
        budget.claim(RateBudget.Tier.ON_DEMAND, 30);
        assertEquals(300 - 5 - 20 - 30 - 180, drain(budget, RateBudget.Use.ENRICHMENT),
                "enrichment: what the claims and the firehose's need leave above the reserve");
        assertEquals(180, drain(budget, RateBudget.Use.FIREHOSE), "the firehose: what the claims leave");
        assertEquals(30, drain(budget, RateBudget.Use.ON_DEMAND), "on demand: what the watched claim leaves");
        assertEquals(20, drain(budget, RateBudget.Use.HISTORY), "watched: down to the reserve");
        assertEquals(Optional.of(5L), budget.snapshot(T0).available());
    }

    @Test
    void withoutATokenTheFirehosesNeedNoLongerShutsOutWatchedRepositories() {
        RateBudget budget = learnt(5, 60, 60);
        budget.firehose(Optional.of(Duration.ofSeconds(60)), 3); // 180 an hour: more than the window holds
        budget.claim(RateBudget.Tier.WATCHED, 12);
        assertEquals(60 - 5 - 12, drain(budget, RateBudget.Use.FIREHOSE), "the firehose leaves the claim");
        assertEquals(12, drain(budget, RateBudget.Use.PULLS));
        assertEquals(0, drain(budget, RateBudget.Use.WATCHED), "the reserve stays");
    }

    @Test
    void aRequestHeldBackByTheClaimsAheadAsksAgainSoonOneHeldByTheReserveAtTheReset() {
        RateBudget budget = learnt(5, 60, 20);
        budget.claim(RateBudget.Tier.WATCHED, 20);
        assertTrue(budget.tryAcquire(RateBudget.Use.FIREHOSE, T0).isEmpty());
        assertEquals(T0.plus(RateBudget.CLAIMS_RETRY), budget.retryAt(RateBudget.Use.FIREHOSE, T0),
                "the claim goes when the watched work is done");
        assertEquals(RESET.plusSeconds(1), budget.retryAt(RateBudget.Use.WATCHED, T0));
        budget.claim(RateBudget.Tier.WATCHED, 0);
        assertEquals(15, drain(budget, RateBudget.Use.FIREHOSE));
        assertEquals(RESET.plusSeconds(1), budget.retryAt(RateBudget.Use.FIREHOSE, T0), "only the reserve is left");
    }

    /** Takes every permit {@code use} gets at T0 and answers none: how many it got. */
    private static int drain(RateBudget budget, RateBudget.Use use) {
        int granted = 0;
        while (budget.tryAcquire(use, T0).isPresent()) {
            granted++;
        }
        return granted;
    }

    @Test
    void withoutAFirehoseNothingIsKeptForIt() {
        RateBudget budget = learnt(5, 60, 10);
        budget.firehose(Optional.empty(), 3);
        assertEquals(0, budget.snapshot(T0).firehoseNeeds());
        List<RateBudget.Permit> permits = new ArrayList<>();
        budget.tryAcquire(RateBudget.Use.WATCHED, T0).ifPresent(permits::add);
        budget.tryAcquire(RateBudget.Use.WATCHED, T0).ifPresent(permits::add);
        budget.tryAcquire(RateBudget.Use.WATCHED, T0).ifPresent(permits::add);
        budget.tryAcquire(RateBudget.Use.WATCHED, T0).ifPresent(permits::add);
        budget.tryAcquire(RateBudget.Use.WATCHED, T0).ifPresent(permits::add);
        assertEquals(5, permits.size());
        assertTrue(budget.tryAcquire(RateBudget.Use.WATCHED, T0).isEmpty(), "10 - 5 in flight is the reserve");
    }

    @Test
    void anExhaustedWindowWaitsForItsResetThenOneRequestLearnsTheNext() {
        RateBudget budget = learnt(0, 60, 0);
        assertTrue(budget.tryAcquire(RateBudget.Use.FIREHOSE, RESET.minusMillis(1)).isEmpty());
        assertEquals(RESET.plusSeconds(1), budget.retryAt(T0));
        RateBudget.Permit learning = budget.tryAcquire(RateBudget.Use.WATCHED, RESET).orElseThrow();
        assertTrue(budget.tryAcquire(RateBudget.Use.FIREHOSE, RESET).isEmpty());
        learning.answered(Optional.of(new EventsPage.RateLimit(60, 59, RESET.plus(Duration.ofHours(1)), 1)));
        assertTrue(budget.tryAcquire(RateBudget.Use.FIREHOSE, RESET).isPresent());
    }

    @Test
    void answersOutOfOrderNeverRaiseTheRemainingOfAWindow() {
        RateBudget budget = learnt(0, 5000, 100);
        budget.tryAcquire(RateBudget.Use.FIREHOSE, T0).orElseThrow().answered(window(5000, 120));
        assertEquals(Optional.of(100L), budget.snapshot(T0).available(), "an older answer of the same window");
        budget.remember(new EventsPage.RateLimit(5000, 4000, RESET.minusSeconds(60), 1000));
        assertEquals(Optional.of(100L), budget.snapshot(T0).available(), "a window that ended earlier is stale");
        budget.remember(new EventsPage.RateLimit(5000, 4990, RESET.plusSeconds(3600), 10));
        assertEquals(Optional.of(4990L), budget.snapshot(T0).available(), "a newer window replaces it");
    }

    @Test
    void countsWhatItGrantedAndDeniedPerUse() {
        RateBudget budget = learnt(5, 60, 5);
        assertFalse(budget.tryAcquire(RateBudget.Use.WATCHED, T0).isPresent());
        assertEquals(1, budget.granted(RateBudget.Use.FIREHOSE));
        assertEquals(1, budget.denied(RateBudget.Use.WATCHED));
    }

    @Test
    void sixtyAnHourIsSaidInWordsWatchedRepositoriesFirst() {
        String head = "60 requests/h (55 above the reserve of 5), watched repositories first (a feed at its"
                + " X-Poll-Interval, an unchanged one a free 304), then repositories asked about";
        assertEquals(head + ", then the firehose from what they leave: it alone may need 180 (a poll of up to 3 pages"
                        + " every 60 s), so it polls less often when pages are new; set GITHUB_TOKEN for 5,000/h",
                RateBudget.allows(60, 5, Duration.ofSeconds(60), 3));
        assertEquals(head + ", then the firehose (it may need 12); set GITHUB_TOKEN for 5,000/h",
                RateBudget.allows(60, 5, Duration.ofMinutes(15), 3));
        assertFalse(RateBudget.allows(60, 5, Duration.ofSeconds(60), 3).contains("get nothing"));
    }

    @Test
    void threeReplicasOnOneTokenEachSpendAThirdOfWhatIsLeftAboveTheReserve() {
        RateBudget budget = learnt(5, 5000, 35); // 30 above the reserve: 10 for each of three
        budget.share(3);
        List<RateBudget.Permit> mine = new ArrayList<>();
        for (Optional<RateBudget.Permit> p; (p = budget.tryAcquire(RateBudget.Use.FIREHOSE, T0)).isPresent(); ) {
            mine.add(p.get());
        }
        assertEquals(10, mine.size(), "a third of 30 in flight at once");
        // The others spent 15 meanwhile: GitHub's count says 35 - 10 - 15 left when ours are answered.
        mine.forEach(p -> p.answered(window(5000, 10)));
        assertTrue(budget.tryAcquire(RateBudget.Use.FIREHOSE, T0).isPresent(), "10 left: 5 above the reserve, 1 of them ours");
        assertTrue(budget.tryAcquire(RateBudget.Use.FIREHOSE, T0).isEmpty());
    }

    @Test
    void aReplicaThatDoesNotKnowItsShareSpendsNothing() {
        RateBudget budget = new RateBudget(5);
        budget.share(0);
        assertTrue(budget.tryAcquire(RateBudget.Use.WATCHED, T0).isEmpty(), "not even the request that learns the window");
        budget.share(1);
        assertTrue(budget.tryAcquire(RateBudget.Use.WATCHED, T0).isPresent());
    }
}
