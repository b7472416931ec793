package io.github.eventsstats.metrics;

import io.github.eventsstats.cache.AnswerCache;
import io.github.eventsstats.cache.Query;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.metrics.LifecycleAnswers.Compared;
import io.github.eventsstats.metrics.LifecycleAnswers.Comparison;
import io.github.eventsstats.metrics.LifecycleAnswers.Completeness;
import io.github.eventsstats.metrics.LifecycleAnswers.Issues;
import io.github.eventsstats.metrics.LifecycleAnswers.PullRequests;
import io.github.eventsstats.watch.History;
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
 * repository whose history is loaded is answered from it, complete; any other from the events
 * stored of it, with complete false. Each answer is cached under its {@link Query}, which holds
 * the history's state, so an answer changes when the history does.
 */
@ApplicationScoped
public class LifecycleService {

    /** The most repositories one comparison holds. */
    public static final int MAX_COMPARED = 10;

    /**
     * Where a repository's items come from: the name its history is stored under, the history's
     * state, and when it was loaded (null: not).
     */
    public record Source(String storedName, History history, Instant loadedAt) {
    }

    /** The PRs created in the last {@code days}, up to now. */
    public record PullRequestsQuery(String repository, int days, boolean includeBots, Source source)
            implements Query<PullRequests> {
    }

    /** The issues created in the last {@code days}, up to now. */
    public record IssuesQuery(String repository, int days, boolean includeBots, Source source)
            implements Query<Issues> {
    }

    private final ClickHouse clickHouse;
    private final LifecycleStore store;
    private final AnswerCache cache;
    private final WatchList watched;
    private final InstantSource clock;

    LifecycleService(ClickHouse clickHouse, LifecycleStore store, AnswerCache cache, WatchList watched,
                     InstantSource clock) {
        this.clickHouse = clickHouse;
        this.store = store;
        this.cache = cache;
        this.watched = watched;
        this.clock = clock;
    }

    public Uni<PullRequests> pullRequests(String repository, int days, boolean includeBots) {
        return cache.answer(new PullRequestsQuery(repository, days, includeBots, source(repository)),
                q -> clickHouse.async(() -> {
                    Instant to = now();
                    Instant from = to.minus(Duration.ofDays(q.days()));
                    return PullRequests.of(q.repository(), q.days(), from, to, q.includeBots(),
                            items(q.repository(), q.source(), LifecycleStore.Kind.PULL, from, to),
                            completeness(q.source()));
                }));
    }

    public Uni<Issues> issues(String repository, int days, boolean includeBots) {
        return cache.answer(new IssuesQuery(repository, days, includeBots, source(repository)),
                q -> clickHouse.async(() -> {
                    Instant to = now();
                    Instant from = to.minus(Duration.ofDays(q.days()));
                    return Issues.of(q.repository(), q.days(), from, to, q.includeBots(),
                            items(q.repository(), q.source(), LifecycleStore.Kind.ISSUE, from, to),
                            completeness(q.source()));
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

    private Source source(String repository) {
        return watched.tracked(repository).map(t -> new Source(t.storedName(), t.history(), t.loadedAt()))
                .orElseGet(() -> new Source(repository, History.NOT_QUEUED, null));
    }

    private List<Lifecycle.ItemLife> items(String repository, Source s, LifecycleStore.Kind kind, Instant from,
                                           Instant to) {
        return s.history().loaded() ? store.items(s.storedName(), kind, from, to)
                : store.itemsFromEvents(repository, kind, from, to);
    }

    private Completeness completeness(Source s) {
        if (!s.history().loaded()) {
            return new Completeness(false, null, s.history());
        }
        Instant first = store.firstItem(s.storedName());
        return new Completeness(true, first != null ? first : s.loadedAt(), s.history());
    }

    /** Windows are whole seconds, as created_at is; read when computed, not part of the key (see Query). */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
