package io.github.eventsstats.metrics;

import io.github.eventsstats.cache.AnswerCache;
import io.github.eventsstats.cache.Query;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.metrics.LifecycleAnswers.Compared;
import io.github.eventsstats.metrics.LifecycleAnswers.Comparison;
import io.github.eventsstats.metrics.LifecycleAnswers.Completeness;
import io.github.eventsstats.metrics.LifecycleAnswers.Issues;
import io.github.eventsstats.metrics.LifecycleAnswers.PullRequests;
import io.github.eventsstats.watch.OnDemand;
import io.github.eventsstats.watch.WatchList;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The pull-request and issue lifecycle of one repository, or of several side by side. A
 * repository whose history is loaded is answered from it, complete while it is kept fresh; any
 * other from the events stored of it, with complete false, and is queued for loading
 * ({@link OnDemand}). Each answer is cached under its {@link Query}, which holds
 * the history's state, so an answer changes when the history does.
 */
@ApplicationScoped
public class LifecycleService {

    /** The most repositories one comparison holds. */
    public static final int MAX_COMPARED = 10;

    /** The PRs created in the last {@code days}, up to now. */
    public record PullRequestsQuery(String repository, int days, boolean includeBots, WatchList.Tracked source)
            implements Query<PullRequests> {
    }

    /** The issues created in the last {@code days}, up to now. */
    public record IssuesQuery(String repository, int days, boolean includeBots, WatchList.Tracked source)
            implements Query<Issues> {
    }

    private final ClickHouse clickHouse;
    private final LifecycleStore store;
    private final AnswerCache cache;
    private final OnDemand onDemand;
    private final InstantSource clock;

    LifecycleService(ClickHouse clickHouse, LifecycleStore store, AnswerCache cache, OnDemand onDemand,
                     InstantSource clock) {
        this.clickHouse = clickHouse;
        this.store = store;
        this.cache = cache;
        this.onDemand = onDemand;
        this.clock = clock;
    }

    public Uni<PullRequests> pullRequests(String repository, int days, boolean includeBots) {
        WatchList.Tracked source = source(repository);
        return answer(new PullRequestsQuery(repository, days, includeBots, source), repository, days, includeBots,
                source, LifecycleStore.Kind.PULL, PullRequests::of);
    }

    public Uni<Issues> issues(String repository, int days, boolean includeBots) {
        WatchList.Tracked source = source(repository);
        return answer(new IssuesQuery(repository, days, includeBots, source), repository, days, includeBots, source,
                LifecycleStore.Kind.ISSUE, Issues::of);
    }

    /** How an answer is made from the window's items and the completeness: PullRequests.of, Issues.of. */
    @FunctionalInterface
    private interface Figures<A> {
        A of(String repository, int days, Instant from, Instant to, boolean includeBots,
             List<Lifecycle.ItemLife> items, Completeness completeness);
    }

    /** The cached answer to {@code key}: the items of {@code kind} created in the last {@code days}, made into figures. */
    private <A> Uni<A> answer(Query<A> key, String repository, int days, boolean includeBots, WatchList.Tracked source,
                              LifecycleStore.Kind kind, Figures<A> figures) {
        return cache.answer(key, q -> clickHouse.async(() -> {
            Instant to = now();
            Instant from = to.minus(Duration.ofDays(days));
            return figures.of(repository, days, from, to, includeBots, items(repository, source, kind, from, to),
                    completeness(source));
        }));
    }

    /** Each repository's two answers (each cached as asked alone), in the order given. */
    public Uni<Comparison> compare(List<String> repositories, int days, boolean includeBots) {
        List<Uni<Compared>> each = new ArrayList<>();
        for (String r : repositories) {
            each.add(Uni.combine().all().unis(pullRequests(r, days, includeBots), issues(r, days, includeBots))
                    .asTuple().map(t -> new Compared(r, t.getItem1(), t.getItem2())));
        }
        return Uni.join().all(each).andFailFast().map(list -> new Comparison(days, includeBots, list));
    }

    /** Where the repository's history stands; asking queues it if it is unknown (on demand). */
    private WatchList.Tracked source(String repository) {
        return onDemand.ask(repository);
    }

    /** From the history once it is loaded (even one no longer kept fresh: it holds more than events). */
    private List<Lifecycle.ItemLife> items(String repository, WatchList.Tracked s, LifecycleStore.Kind kind, Instant from,
                                           Instant to) {
        return s.history().loaded() ? store.items(s.storedName(), kind, from, to)
                : store.itemsFromEvents(repository, kind, from, to);
    }

    private Completeness completeness(WatchList.Tracked s) {
        if (!s.complete()) {
            return new Completeness(false, null, s.history());
        }
        Instant first = store.firstItems(List.of(s.storedName())).get(s.storedName());
        return new Completeness(true, first != null ? first : s.loadedAt(), s.history());
    }

    /** Windows are whole seconds, as created_at is; read when computed, not part of the key (see Query). */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
