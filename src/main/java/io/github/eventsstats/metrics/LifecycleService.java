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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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

    /** Both answers of each of {@code repositories} (in the order asked), created in the last {@code days}. */
    public record ComparisonQuery(List<String> repositories, int days, boolean includeBots,
                                  List<WatchList.Tracked> sources) implements Query<Comparison> {
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
            List<Lifecycle.ItemLife> items = source.history().loaded()
                    ? store.items(source.storedName(), kind, from, to)
                    : store.itemsFromEvents(List.of(repository), kind, from, to).getFirst();
            return figures.of(repository, days, from, to, includeBots, items, completeness(List.of(source)).getFirst());
        }));
    }

    /**
     * Each repository's two answers, in the order given, over one window: the loaded histories'
     * items of both kinds read by one query, whatever their number (docs/benchmarks/lifecycle.md).
     */
    public Uni<Comparison> compare(List<String> repositories, int days, boolean includeBots) {
        List<WatchList.Tracked> sources = repositories.stream().map(this::source).toList();
        return cache.answer(new ComparisonQuery(List.copyOf(repositories), days, includeBots, sources),
                q -> clickHouse.async(() -> {
                    Instant to = now();
                    Instant from = to.minus(Duration.ofDays(days));
                    Map<LifecycleStore.Kind, List<List<Lifecycle.ItemLife>>> items = items(repositories, sources, from, to);
                    List<List<Lifecycle.ItemLife>> pulls = items.get(LifecycleStore.Kind.PULL);
                    List<List<Lifecycle.ItemLife>> issues = items.get(LifecycleStore.Kind.ISSUE);
                    List<Completeness> completeness = completeness(sources);
                    List<Compared> each = new ArrayList<>();
                    for (int i = 0; i < repositories.size(); i++) {
                        String r = repositories.get(i);
                        each.add(new Compared(r,
                                PullRequests.of(r, days, from, to, includeBots, pulls.get(i), completeness.get(i)),
                                Issues.of(r, days, from, to, includeBots, issues.get(i), completeness.get(i))));
                    }
                    return new Comparison(days, includeBots, each);
                }));
    }

    /** Where the repository's history stands; asking queues it if it is unknown (on demand). */
    private WatchList.Tracked source(String repository) {
        return onDemand.ask(repository);
    }

    /**
     * Each repository's items of each kind: from its history once it is loaded (even one no longer
     * kept fresh: it holds more than events), all those in one query; the others from their
     * events, in one query per kind.
     */
    private Map<LifecycleStore.Kind, List<List<Lifecycle.ItemLife>>> items(List<String> repositories,
                                                                          List<WatchList.Tracked> sources,
                                                                          Instant from, Instant to) {
        List<String> loaded = sources.stream().filter(s -> s.history().loaded()).map(WatchList.Tracked::storedName)
                .distinct().toList();
        List<String> notLoaded = new ArrayList<>();
        for (int i = 0; i < repositories.size(); i++) {
            if (!sources.get(i).history().loaded()) {
                notLoaded.add(repositories.get(i));
            }
        }
        Map<LifecycleStore.Kind, List<List<Lifecycle.ItemLife>>> fromHistories = loaded.isEmpty() ? Map.of()
                : store.itemsOfBothKinds(loaded, from, to);
        Map<LifecycleStore.Kind, List<List<Lifecycle.ItemLife>>> each = new EnumMap<>(LifecycleStore.Kind.class);
        for (LifecycleStore.Kind kind : LifecycleStore.Kind.values()) {
            List<List<Lifecycle.ItemLife>> fromEvents = notLoaded.isEmpty() ? List.of()
                    : store.itemsFromEvents(notLoaded, kind, from, to);
            List<List<Lifecycle.ItemLife>> ofKind = new ArrayList<>();
            for (int i = 0; i < repositories.size(); i++) {
                WatchList.Tracked s = sources.get(i);
                ofKind.add(s.history().loaded() ? fromHistories.get(kind).get(loaded.indexOf(s.storedName()))
                        : fromEvents.get(notLoaded.indexOf(repositories.get(i))));
            }
            each.put(kind, ofKind);
        }
        return each;
    }

    /** Each repository's completeness; the first items of the complete ones looked up together. */
    private List<Completeness> completeness(List<WatchList.Tracked> sources) {
        Map<String, Instant> first = store.firstItems(sources.stream().filter(WatchList.Tracked::complete)
                .map(WatchList.Tracked::storedName).distinct().toList());
        return sources.stream().map(s -> !s.complete() ? new Completeness(false, null, s.history())
                : new Completeness(true, first.getOrDefault(s.storedName(), s.loadedAt()), s.history())).toList();
    }

    /** Windows are whole seconds, as created_at is; read when computed, not part of the key (see Query). */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
