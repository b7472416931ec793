package io.github.eventsstats.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.eventsstats.clickhouse.DataChanges;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers kept between writes. A key is the question (a {@link Query} record of its normalised
 * parameters) plus {@link DataChanges#version()} at the time it is asked, so a write by this process
 * makes every later question a new key: nothing computed before the write is served after it.
 * Writes by other processes are not seen here; {@link CacheConfig#ttl()} bounds how old a served
 * answer can be, counted from when its computation started (a window ending "now" is served with
 * the "now" it was computed at, at most that long: see {@link Query}). Identical questions asked
 * while the first is being computed wait for its answer.
 *
 * <p>An answer asked for in the second half of its life is served at once while the next one is
 * computed in the background, and that one replaces it: a question asked over and over never
 * waits for a recomputation (with expiry alone, every caller waited for it once per TTL: under
 * wrk's 16 connections that wait was the whole p99). An answer nobody asks for just expires.
 */
@ApplicationScoped
public class AnswerCache {

    /** Bounds memory whatever the parameters; a dashboard asks a few dozen distinct questions. */
    static final int MAX_ANSWERS = 10_000;

    private record Key(long version, Query<?> question) {
    }

    /**
     * An answer (or its computation), when that computation started and how long it took, and
     * whether its successor is under way.
     */
    private static final class Kept {
        final CompletableFuture<Object> answer;
        final long started;
        volatile long took;
        final AtomicBoolean refreshing = new AtomicBoolean();

        Kept(CompletableFuture<Object> answer, long started) {
            this.answer = answer;
            this.started = started;
        }
    }

    private final DataChanges changes;
    private final InstantSource clock;
    private final long ttl;
    /** Null when the cache is off. */
    private final Cache<Key, Kept> answers;

    AnswerCache(CacheConfig config, DataChanges changes, InstantSource clock) {
        this.changes = changes;
        this.clock = clock;
        Duration ttl = config.ttl();
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("API_CACHE_TTL must not be negative: " + ttl);
        }
        this.ttl = ttl.toNanos();
        this.answers = ttl.isZero() ? null : Caffeine.newBuilder()
                .expireAfter(Expiry.writing((Key k, Kept kept) -> Duration.ofNanos(kept.started + this.ttl - now())))
                .maximumSize(MAX_ANSWERS)
                .ticker(this::now) // the injected clock, so tests move time themselves
                .build();
    }

    /**
     * The answer to {@code question}, computed from it by {@code compute} unless a fresh one is kept.
     * A failed computation is not kept: its callers get the failure, the next caller computes again.
     */
    @SuppressWarnings("unchecked")
    public <T, Q extends Query<T>> Uni<T> answer(Q question, Function<? super Q, Uni<T>> compute) {
        Supplier<Uni<T>> computed = () -> compute.apply(question);
        if (answers == null) {
            return computed.get();
        }
        Key key = new Key(changes.version(), question);
        return Uni.createFrom().completionStage(() -> {
            long now = now();
            Kept kept = answers.asMap().computeIfAbsent(key, k -> start(computed, now));
            if (now - kept.started >= refreshAge(kept) && kept.answer.isDone()
                    && kept.refreshing.compareAndSet(false, true)) {
                Kept next = start(computed, now);
                next.answer.thenAccept(answer -> {
                    if (answer instanceof Failed) {
                        kept.refreshing.set(false); // the next caller tries again; the kept answer stands until it expires
                    } else {
                        answers.asMap().replace(key, kept, next);
                    }
                });
            }
            // copy(): a caller that goes away cancels its copy, not the answer others wait for
            return kept.answer.copy().thenCompose(answer -> {
                if (answer instanceof Failed failed) {
                    answers.asMap().remove(key, kept);
                    return CompletableFuture.failedFuture(failed.error());
                }
                return CompletableFuture.completedFuture((T) answer);
            });
        });
    }

    /**
     * The age from which an answer is recomputed ahead: half the TTL, or sooner for an answer whose
     * computation took more than a sixth of it, so that its successor is ready before it expires
     * even when computing is three times slower (a machine busy serving the kept answers); but
     * never sooner than twice its computation time, so that recomputing one answer takes at most
     * half of the time. Without that floor an answer taking a third of the TTL or more was
     * recomputed the moment it was ready, without a pause: under wrk that kept both cores
     * computing top-repos, slowed the computation further and took the cached answers' p99 from a
     * few ms to 100 ms and more (bench/api-bench.sh, docs/design/answer-cache.md).
     */
    private long refreshAge(Kept kept) {
        return Math.min(ttl / 2, Math.max(2 * kept.took, ttl - 3 * kept.took));
    }

    /** A failure is kept as a value, so that it reaches every waiting caller the same way. */
    private <T> Kept start(Supplier<Uni<T>> compute, long now) {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        Kept kept = new Kept(answer, now);
        compute.get().subscribeAsCompletionStage().whenComplete((value, error) -> {
            kept.took = now() - now;
            answer.complete(error == null ? value : new Failed(error));
        });
        return kept;
    }

    private record Failed(Throwable error) {
    }

    private long now() {
        Instant t = clock.instant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
