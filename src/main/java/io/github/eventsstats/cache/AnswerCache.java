package io.github.eventsstats.cache;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.eventsstats.store.DataChanges;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Answers kept between writes. A key is the question (endpoint and normalised parameters) plus
 * {@link DataChanges#version()} at the time it is asked, so a write by this process makes every
 * later question a new key: nothing computed before the write is served after it. Writes by other
 * processes are not seen here; {@link CacheConfig#ttl()} bounds how long an answer lives, so how
 * stale it can get (a window ending "now" is served with the "now" it was computed at, at most that
 * long). Identical questions asked while the first is being computed wait for its answer.
 */
@ApplicationScoped
public class AnswerCache {

    /** Bounds memory whatever the parameters; a dashboard asks a few dozen distinct questions. */
    static final int MAX_ANSWERS = 10_000;

    private record Key(long version, String question) {
    }

    private final DataChanges changes;
    /** Null when the cache is off. */
    private final AsyncCache<Key, Object> answers;

    AnswerCache(CacheConfig config, DataChanges changes, InstantSource clock) {
        this.changes = changes;
        Duration ttl = config.ttl();
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("API_CACHE_TTL must not be negative: " + ttl);
        }
        this.answers = ttl.isZero() ? null : Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(MAX_ANSWERS)
                .ticker(() -> nanos(clock.instant())) // the injected clock, so tests move time themselves
                .buildAsync();
    }

    /**
     * The answer to {@code question}, computed by {@code compute} unless a fresh one is kept. A
     * failed computation is not kept: its callers get the failure, the next caller computes again.
     */
    @SuppressWarnings("unchecked")
    public <T> Uni<T> answer(String question, Supplier<Uni<T>> compute) {
        if (answers == null) {
            return compute.get();
        }
        Key key = new Key(changes.version(), question);
        return Uni.createFrom().completionStage(() -> {
            // A failure is kept as a value so that Caffeine does not log it (the API's error mapping does).
            CompletableFuture<Object> shared = answers.get(key, (k, executor) -> compute.get()
                    .subscribeAsCompletionStage().handle((answer, error) -> error == null ? answer : new Failed(error)));
            // copy(): a caller that goes away cancels its copy, not the answer others wait for
            return shared.copy().thenCompose(answer -> {
                if (answer instanceof Failed failed) {
                    answers.asMap().remove(key, shared);
                    return CompletableFuture.failedFuture(failed.error());
                }
                return CompletableFuture.completedFuture((T) answer);
            });
        });
    }

    private record Failed(Throwable error) {
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
