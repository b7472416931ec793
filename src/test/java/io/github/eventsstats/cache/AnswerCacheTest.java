package io.github.eventsstats.cache;

import io.github.eventsstats.FakeClock;
import io.github.eventsstats.store.DataChanges;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AnswerCacheTest {

    private final FakeClock clock = new FakeClock();
    private final DataChanges changes = new DataChanges();
    private final AtomicInteger computed = new AtomicInteger();

    private AnswerCache cache(Duration ttl) {
        return new AnswerCache(() -> ttl, changes, clock);
    }

    private int ask(AnswerCache cache, String question) {
        return cache.answer(question, () -> Uni.createFrom().item(computed::incrementAndGet)).await().indefinitely();
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
    void answerExpiresAfterTheTtl() {
        AnswerCache cache = cache(Duration.ofSeconds(2));
        assertEquals(1, ask(cache, "q"));
        clock.advance(Duration.ofMillis(1999));
        assertEquals(1, ask(cache, "q"));
        clock.advance(Duration.ofMillis(1));
        assertEquals(2, ask(cache, "q"));
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
        assertThrows(IllegalStateException.class, () -> cache.answer("q",
                () -> Uni.createFrom().failure(new IllegalStateException("engine down"))).await().indefinitely());
        assertEquals(1, ask(cache, "q"));
    }

    @Test
    void negativeTtlIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> cache(Duration.ofSeconds(-1)));
    }
}
