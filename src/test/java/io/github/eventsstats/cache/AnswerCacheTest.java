package io.github.eventsstats.cache;

import io.github.eventsstats.clickhouse.DataChanges;
import io.github.eventsstats.platform.FakeClock;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AnswerCacheTest {

    private final FakeClock clock = new FakeClock();
    private final DataChanges changes = new DataChanges();
    private final AtomicInteger computed = new AtomicInteger();

    /** A question of the tests, the text standing for its parameters. */
    private record Asked(String text) implements Query<Integer> {
    }

    private AnswerCache cache(Duration ttl) {
        return new AnswerCache(() -> ttl, changes, clock);
    }

    private int ask(AnswerCache cache, String question) {
        return cache.answer(new Asked(question), q -> Uni.createFrom().item(computed::incrementAndGet)).await()
                .indefinitely();
    }

    @Test
    void repeatedQuestionIsAnsweredFromTheCache() {
        AnswerCache cache = cache(Duration.ofSeconds(2));
        assertEquals(1, ask(cache, "events?offset=60"));
        assertEquals(1, ask(cache, "events?offset=60"));
        assertEquals(2, ask(cache, "events?offset=61"));
        assertEquals(2, computed.get());
    }

    @Test
    void writeInThisProcessMakesTheNextAnswerFresh() {
        AnswerCache cache = cache(Duration.ofHours(1));
        assertEquals(1, ask(cache, "q"));
        changes.changed();
        assertEquals(2, ask(cache, "q"));
        assertEquals(2, ask(cache, "q"));
    }

    @Test
    void answerExpiresAfterTheTtlWhenNobodyAskedInItsSecondHalf() {
        AnswerCache cache = cache(Duration.ofSeconds(2));
        assertEquals(1, ask(cache, "q"));
        clock.advance(Duration.ofMillis(999));
        assertEquals(1, ask(cache, "q"));
        clock.advance(Duration.ofMillis(1001));
        assertEquals(2, ask(cache, "q"));
        assertEquals(2, computed.get());
    }

    @Test
    void anAnswerInItsSecondHalfIsServedAtOnceWhileTheNextIsComputed() {
        AnswerCache cache = cache(Duration.ofSeconds(2));
        assertEquals(1, ask(cache, "q"));
        clock.advance(Duration.ofMillis(1000));
        CompletableFuture<Integer> slow = new CompletableFuture<>();

        assertEquals(1, askWith(cache, slow), "the kept answer, without waiting for the slow one");
        assertEquals(1, askWith(cache, new CompletableFuture<>()), "one recomputation at a time");
        slow.complete(7);

        assertEquals(7, ask(cache, "q"), "the recomputed answer replaced it");
        clock.advance(Duration.ofMillis(1999));
        assertEquals(7, ask(cache, "q"), "and lives a TTL from when its computation started");
    }

    @Test
    void anAnswerThatWasSlowToComputeIsRecomputedSoonerThanHalfItsTtl() {
        AnswerCache cache = cache(Duration.ofSeconds(2));
        slowFirstAnswer(cache, Duration.ofMillis(350)); // its successor may take three times that: start it by 2 s - 1,050 ms

        clock.advance(Duration.ofMillis(550));
        assertEquals(7, ask(cache, "q"), "served the kept answer, 900 ms old");
        assertEquals(0, computed.get(), "too young to be recomputed");
        clock.advance(Duration.ofMillis(50));
        assertEquals(7, ask(cache, "q"), "served the kept answer, 950 ms old");
        assertEquals(1, computed.get(), "and its successor was started then, not at 1 s");
        assertEquals(1, ask(cache, "q"), "which replaced it");
    }

    @Test
    void anAnswerThatTakesLongToComputeIsNotRecomputedTheMomentItIsReady() {
        AnswerCache cache = cache(Duration.ofSeconds(2));
        slowFirstAnswer(cache, Duration.ofMillis(500));

        assertEquals(7, ask(cache, "q"), "served the kept answer, 500 ms old");
        clock.advance(Duration.ofMillis(499));
        assertEquals(7, ask(cache, "q"), "served the kept answer, 999 ms old");
        assertEquals(0, computed.get(), "not recomputed before twice its computation time: at most half the time computing");
        clock.advance(Duration.ofMillis(1));
        assertEquals(7, ask(cache, "q"));
        assertEquals(1, computed.get(), "recomputed from then on");
    }

    /** The first answer to "q", 7, computed in {@code took} of the clock's time. */
    private void slowFirstAnswer(AnswerCache cache, Duration took) {
        CompletableFuture<Integer> slow = new CompletableFuture<>();
        CompletableFuture<Integer> first = cache.answer(new Asked("q"), q -> Uni.createFrom().completionStage(slow))
                .subscribeAsCompletionStage();
        clock.advance(took);
        slow.complete(7);
        assertEquals(7, first.join());
    }

    @Test
    void noAnswerOlderThanTheTtlIsServedEvenWhileItsSuccessorIsComputed() {
        AnswerCache cache = cache(Duration.ofSeconds(2));
        assertEquals(1, ask(cache, "q"));
        clock.advance(Duration.ofMillis(1500));
        CompletableFuture<Integer> slow = new CompletableFuture<>();
        assertEquals(1, askWith(cache, slow));
        clock.advance(Duration.ofMillis(500));

        assertEquals(2, ask(cache, "q"), "expired: computed again, not the answer from 2 s ago");
        slow.complete(7);
        assertEquals(2, ask(cache, "q"), "a successor that comes too late does not replace a newer answer");
    }

    @Test
    void aFailedRecomputationKeepsTheAnswerUntilItExpires() {
        AnswerCache cache = cache(Duration.ofSeconds(2));
        assertEquals(1, ask(cache, "q"));
        clock.advance(Duration.ofMillis(1000));
        assertEquals(1, cache.answer(new Asked("q"),
                q -> Uni.createFrom().<Integer>failure(new IllegalStateException("engine down"))).await().indefinitely());
        assertEquals(1, ask(cache, "q"), "the next caller starts a recomputation again, and is served the kept answer");
        assertEquals(2, ask(cache, "q"), "which the recomputed one replaced");
    }

    private int askWith(AnswerCache cache, CompletableFuture<Integer> answer) {
        return cache.answer(new Asked("q"), q -> Uni.createFrom().completionStage(answer)).await().indefinitely();
    }

    @Test
    void zeroTtlTurnsTheCacheOff() {
        AnswerCache cache = cache(Duration.ZERO);
        assertEquals(1, ask(cache, "q"));
        assertEquals(2, ask(cache, "q"));
    }

    @Test
    void failedAnswerIsNotKept() {
        AnswerCache cache = cache(Duration.ofSeconds(2));
        assertThrows(IllegalStateException.class, () -> cache.answer(new Asked("q"),
                q -> Uni.createFrom().<Integer>failure(new IllegalStateException("engine down"))).await().indefinitely());
        assertEquals(1, ask(cache, "q"));
    }

    @Test
    void negativeTtlIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> cache(Duration.ofSeconds(-1)));
    }
}
