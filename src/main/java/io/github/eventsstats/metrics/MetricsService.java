package io.github.eventsstats.metrics;

import io.github.eventsstats.cache.AnswerCache;
import io.github.eventsstats.cache.Query;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.coverage.CoverageService;
import io.github.eventsstats.enrich.EnrichmentStore;
import io.github.eventsstats.metrics.MetricsAnswers.EventAvgTime;
import io.github.eventsstats.metrics.MetricsAnswers.EventCounts;
import io.github.eventsstats.metrics.MetricsAnswers.EventTotals;
import io.github.eventsstats.metrics.MetricsAnswers.MultipleEventsRepos;
import io.github.eventsstats.metrics.MetricsAnswers.PrAverage;
import io.github.eventsstats.metrics.MetricsAnswers.RepoEvents;
import io.github.eventsstats.metrics.MetricsAnswers.TopRepo;
import io.github.eventsstats.metrics.MetricsAnswers.TopRepos;
import io.github.eventsstats.metrics.MetricsAnswers.TotalEvents;
import io.github.eventsstats.metrics.MetricsAnswers.UserSession;
import io.github.eventsstats.metrics.MetricsAnswers.UserSessions;
import io.github.eventsstats.metrics.MetricsAnswers.Visualization;
import io.github.eventsstats.watch.History;
import io.github.eventsstats.watch.OnDemand;
import io.github.eventsstats.watch.WatchList;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The metrics' answers. Each question is a {@link Query} record, the key of its answer in the
 * {@link AnswerCache}; its computation composes the store, the coverage of its window and the
 * repositories' enriched profiles, on a virtual thread ({@link ClickHouse#async}): the event loop
 * never waits for ClickHouse, and a full queue of queries fails the answer at once (a 503).
 */
@ApplicationScoped
public class MetricsService {

    /** A session ends when the actor's next event comes more than this many minutes later. */
    static final int SESSION_GAP_MINUTES = 30;

    /**
     * pr-average's question: the repository, since when the watch list holds its whole
     * pull-request history (null: not loaded), and where its history's loading stands, so that an
     * answer from before the history was loaded (or before the repository went away) is not reused.
     */
    public record PrAverageQuery(String repository, Instant completeSince, History history) implements Query<PrAverage> {
    }

    /** The events of the last {@code offsetMinutes}, up to now. */
    public record EventsQuery(int offsetMinutes) implements Query<EventCounts> {
    }

    /** Each filter is '' for any. */
    public record EventAvgTimeQuery(String eventType, String action, String repository) implements Query<EventAvgTime> {
    }

    /** Each filter is '' for any. */
    public record EventsTotalCountQuery(String action, String repository) implements Query<EventTotals> {
    }

    public record MultipleEventsReposQuery(String eventType, int minCount, int limit)
            implements Query<MultipleEventsRepos> {
    }

    /** The most active repositories of the last {@code days}, up to now. */
    public record TopReposQuery(int days, int limit) implements Query<TopRepos> {
    }

    /** The largest sessions of the last {@code days}, up to now; {@code actor} '' for every actor. */
    public record UserSessionsQuery(int days, int limit, String actor) implements Query<UserSessions> {
    }

    private final ClickHouse clickHouse;
    private final MetricsStore store;
    private final InstantSource clock;
    private final AnswerCache cache;
    private final CoverageService coverage;
    private final WatchList watched;
    private final EnrichmentStore profiles;
    private final OnDemand onDemand;

    MetricsService(ClickHouse clickHouse, MetricsStore store, InstantSource clock, AnswerCache cache,
                   CoverageService coverage, WatchList watched, EnrichmentStore profiles, OnDemand onDemand) {
        this.onDemand = onDemand;
        this.clickHouse = clickHouse;
        this.store = store;
        this.clock = clock;
        this.cache = cache;
        this.coverage = coverage;
        this.watched = watched;
        this.profiles = profiles;
    }

    public Uni<PrAverage> prAverage(String repository) {
        History history = onDemand.ask(repository).history(); // queues it when unknown
        return answer(new PrAverageQuery(repository, watched.pullRequestsCompleteSince(repository).orElse(null), history),
                q -> PrAverage.of(q.repository(), store.prOpenings(q.repository()), q.completeSince(), q.history()));
    }

    public Uni<EventCounts> events(EventsQuery query) {
        return answer(query, q -> {
            Instant to = now();
            Instant from = to.minus(Duration.ofMinutes(q.offsetMinutes()));
            return EventCounts.of(q.offsetMinutes(), from, to, store.countsInWindow(from, to), coverage.of(from, to));
        });
    }

    /** The window's events per bucket; the window is as checked when asked, only its query is the key. */
    public Uni<Visualization> visualization(VisualizationQuery.Window window) {
        return answer(window.query(), q -> Visualization.of(window,
                store.countsPerBucket(window.from(), window.to(), q.interval().seconds),
                coverage.of(window.from(), window.to().minusSeconds(1))));
    }

    public Uni<EventAvgTime> eventAvgTime(EventAvgTimeQuery query) {
        return answer(query, q -> EventAvgTime.of(q.eventType(), q.action(), q.repository(),
                store.eventGaps(q.eventType(), q.action(), q.repository()), coverage.ofAll()));
    }

    public Uni<EventTotals> eventsTotalCount(EventsTotalCountQuery query) {
        return answer(query, q -> EventTotals.of(q.action(), q.repository(),
                store.totalsByType(q.action(), q.repository()), coverage.ofAll()));
    }

    public Uni<MultipleEventsRepos> multipleEventsRepos(MultipleEventsReposQuery query) {
        return answer(query, q -> new MultipleEventsRepos(q.eventType(), q.minCount(), q.limit(),
                store.reposWithMoreThan(q.eventType(), q.minCount(), q.limit()), coverage.ofAll()));
    }

    public Uni<TopRepos> topRepos(TopReposQuery query) {
        return answer(query, q -> {
            Instant to = now();
            Instant from = to.minus(Duration.ofDays(q.days()));
            List<MetricsStore.RepoActivity> top = store.topRepos(from, to, q.limit());
            // The profiles of the returned rows only, looked up by name beside the ranking.
            Map<String, EnrichmentStore.RepoBrief> briefs = profiles.repoBriefs(
                    top.stream().map(MetricsStore.RepoActivity::repoName).toList());
            return new TopRepos(q.days(), from, to, q.limit(),
                    top.stream().map(a -> TopRepo.of(a, briefs.get(a.repoName()))).toList(), coverage.of(from, to));
        });
    }

    public Uni<UserSessions> userSessions(UserSessionsQuery query) {
        return answer(query, q -> {
            Instant to = now();
            Instant from = to.minus(Duration.ofDays(q.days()));
            return new UserSessions(q.days(), from, to, SESSION_GAP_MINUTES, q.limit(),
                    store.sessions(from, to, q.actor(), SESSION_GAP_MINUTES * 60, q.limit()).stream()
                            .map(UserSession::of).toList(),
                    coverage.of(from, to));
        });
    }

    /** Row counts of the whole table; never cached: they are there to see what was just stored. */
    public Uni<TotalEvents> totalEvents() {
        return clickHouse.async(() -> TotalEvents.of(store.rowCounts("")));
    }

    public Uni<RepoEvents> repoEvents(String repository) {
        return clickHouse.async(() -> RepoEvents.of(repository, store.rowCounts(repository)));
    }

    /** The cached answer to {@code query}, computed off the event loop. */
    private <T, Q extends Query<T>> Uni<T> answer(Q query, Function<Q, T> compute) {
        return cache.answer(query, q -> clickHouse.async(() -> compute.apply(q)));
    }

    /**
     * Windows are whole seconds, as created_at is. Read when an answer is computed, not part of
     * its key (see {@link Query}).
     */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
