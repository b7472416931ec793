package io.github.eventsstats.metrics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.coverage.Coverage;
import io.github.eventsstats.enrich.EnrichmentStore;
import io.github.eventsstats.watch.History;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers of {@link MetricsService}: the JSON bodies of the metrics API, snake_case names,
 * ISO-8601 UTC instants.
 */
public final class MetricsAnswers {

    private MetricsAnswers() {
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "Mean time between consecutive opened pull requests of a repository")
    public record PrAverage(
            @Schema(examples = "octocat/hello-world") String repository,
            @Schema(description = "opened pull requests") long prCount,
            @Schema(description = "(last - first) / (pr_count - 1); null below 2 pull requests", nullable = true)
            Double averageSeconds,
            @Schema(nullable = true) Instant firstOpenedAt,
            @Schema(nullable = true) Instant lastOpenedAt,
            @Schema(description = "true for a watched repository whose whole pull-request history is loaded: every PR"
                    + " opened since complete_since is counted; false: only the PRs this service saw as events")
            boolean complete,
            @Schema(description = "with complete: the repository's first PR (or, without any, when its history was"
                    + " loaded); null otherwise", nullable = true) Instant completeSince,
            History history) {

        static PrAverage of(String repository, MetricsStore.Span s, Instant completeSince, History history) {
            return new PrAverage(repository, s.count(), s.averageSeconds(), s.first(), s.last(), completeSince != null,
                    completeSince, history);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "Stored events by type created in [from, to], both inclusive")
    public record EventCounts(
            long offsetMinutes,
            @Schema(description = "to - offset_minutes: an event created exactly then is counted") Instant from,
            @Schema(description = "the service's clock when asked, to the second") Instant to,
            @Schema(description = "by type: WatchEvent, PullRequestEvent and IssuesEvent always (0 included), and every other stored type that has events here") Map<String, Long> counts,
            long total,
            Coverage coverage) {

        static EventCounts of(long offsetMinutes, Instant from, Instant to, Map<String, Long> counts,
                              Coverage coverage) {
            return new EventCounts(offsetMinutes, from, to, counts, sum(counts), coverage);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "Events per interval and type over [from, to), ready to plot: series[type][i] counts"
            + " the events of buckets[i]; empty buckets are 0")
    public record Visualization(
            @Schema(examples = "hour") String interval,
            @Schema(description = "start of the first bucket (the requested from, rounded down to the interval)")
            Instant from,
            @Schema(description = "end of the window, exclusive") Instant to,
            @Schema(description = "start of each bucket") List<Instant> buckets,
            @Schema(description = "one array per type (WatchEvent, PullRequestEvent and IssuesEvent always, and every other stored type with events in the window), aligned with buckets") Map<String, List<Long>> series,
            Coverage coverage) {

        /** Lays the non-empty buckets on the window's full axis, zeros elsewhere. */
        static Visualization of(VisualizationQuery.Window window, List<MetricsStore.Bucket> counted, Coverage coverage) {
            int buckets = Math.toIntExact(window.buckets());
            long step = window.query().interval().seconds;
            Map<String, long[]> series = new LinkedHashMap<>();
            for (String t : MetricsStore.withDefaults(Map.of()).keySet()) {
                series.put(t, new long[buckets]);
            }
            counted.stream().map(MetricsStore.Bucket::type).sorted()
                    .forEach(t -> series.computeIfAbsent(t, k -> new long[buckets]));
            for (MetricsStore.Bucket b : counted) {
                series.get(b.type())[(int) ((b.start().getEpochSecond() - window.from().getEpochSecond()) / step)] =
                        b.count();
            }
            List<Instant> starts = new ArrayList<>(buckets);
            for (int i = 0; i < buckets; i++) {
                starts.add(window.from().plusSeconds(i * step));
            }
            Map<String, List<Long>> boxed = new LinkedHashMap<>();
            series.forEach((t, counts) -> boxed.put(t, Arrays.stream(counts).boxed().toList()));
            return new Visualization(window.query().interval().name(), window.from(), window.to(), starts, boxed,
                    coverage);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "Mean time between adjacent events that match the filters")
    public record EventAvgTime(
            @Schema(nullable = true, description = "the filter, null for any") String eventType,
            @Schema(nullable = true, description = "the filter, null for any") String action,
            @Schema(nullable = true, description = "the filter, null for any") String repositoryName,
            long eventCount,
            @Schema(description = "(last - first) / (event_count - 1); null below 2 events", nullable = true)
            Double averageSeconds,
            @Schema(nullable = true) Instant firstEventAt,
            @Schema(nullable = true) Instant lastEventAt,
            @Schema(description = "over every hour from the first with data to the last") Coverage coverage) {

        static EventAvgTime of(String type, String action, String repository, MetricsStore.Span s, Coverage coverage) {
            return new EventAvgTime(nullIfEmpty(type), nullIfEmpty(action), nullIfEmpty(repository), s.count(),
                    s.averageSeconds(), s.first(), s.last(), coverage);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "All stored events by type that match the filters")
    public record EventTotals(
            @Schema(nullable = true, description = "the filter, null for any") String action,
            @Schema(nullable = true, description = "the filter, null for any") String repositoryName,
            @Schema(description = "by type: WatchEvent, PullRequestEvent and IssuesEvent always (0 included), and every other stored type that has events here") Map<String, Long> counts,
            long total,
            @Schema(description = "over every hour from the first with data to the last") Coverage coverage) {

        static EventTotals of(String action, String repository, Map<String, Long> counts, Coverage coverage) {
            return new EventTotals(nullIfEmpty(action), nullIfEmpty(repository), counts, sum(counts), coverage);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "Repositories with more than min_count events of event_type, most first")
    public record MultipleEventsRepos(
            @Schema(examples = "PushEvent") String eventType,
            long minCount,
            int limit,
            @Schema(description = "full name to event count, in descending count order") Map<String, Long> repositories,
            @Schema(description = "over every hour from the first with data to the last") Coverage coverage) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "The repositories with the most events created in [from, to]")
    public record TopRepos(int days, Instant from, Instant to, int limit, List<TopRepo> repositories,
                           Coverage coverage) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TopRepo(
            @Schema(examples = "octocat/hello-world") String repoName,
            long totalEvents,
            @Schema(description = "distinct actors") long uniqueUsers,
            Instant firstEventAt,
            Instant lastEventAt,
            @Schema(description = "distinct pushes (push_id) among the PushEvents; one push delivered twice counts once")
            long pushEvents,
            @Schema(description = "events by type: WatchEvent, PullRequestEvent and IssuesEvent always (0 included),"
                    + " and every other stored type the repository has events of") Map<String, Long> counts,
            @Schema(nullable = true, description = "stargazers, from the enriched profile; null before one is stored")
            Long stars,
            @Schema(nullable = true, description = "main language, from the enriched profile; null when GitHub names"
                    + " none or before a profile is stored", examples = "Java") String language) {

        /** @param profile the repository's enrichment, or null */
        static TopRepo of(MetricsStore.RepoActivity a, EnrichmentStore.RepoBrief profile) {
            return new TopRepo(a.repoName(), a.totalEvents(), a.uniqueUsers(), a.firstEventAt(), a.lastEventAt(),
                    a.pushEvents(), a.counts(), profile == null ? null : profile.stars(),
                    profile == null ? null : profile.language());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "Actors' sessions among events created in [from, to]; a session ends when the actor's"
            + " next event comes more than gap_minutes later. Largest sessions first.")
    public record UserSessions(int days, Instant from, Instant to, int gapMinutes, int limit,
                               List<UserSession> sessions, Coverage coverage) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record UserSession(String actorLogin, Instant sessionStartAt, Instant sessionEndAt, long eventsInSession) {

        static UserSession of(MetricsStore.Session s) {
            return new UserSession(s.actorLogin(), s.start(), s.end(), s.events());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "Row counts of `events`")
    public record TotalEvents(
            @Schema(description = "stored events, each counted once") long totalEvents,
            @Schema(description = "physical rows: also counts copies of an event that raced past the writer and"
                    + " wait for ClickHouse to merge them away") long storedRows) {

        static TotalEvents of(MetricsStore.RowCounts c) {
            return new TotalEvents(c.events(), c.rows());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "Row counts of one repository in `events`")
    public record RepoEvents(
            String repository,
            @Schema(description = "stored events, each counted once") long totalEvents,
            @Schema(description = "physical rows, including copies awaiting a merge") long storedRows) {

        static RepoEvents of(String repository, MetricsStore.RowCounts c) {
            return new RepoEvents(repository, c.events(), c.rows());
        }
    }

    private static String nullIfEmpty(String s) {
        return s.isEmpty() ? null : s;
    }
}
