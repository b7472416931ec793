package io.github.eventsstats.metrics;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * What the dashboard shows beyond the metrics: the latest stored events, each gap between adjacent
 * events, one repository's opened PRs over time. Not cached (the dashboard polls the newest events);
 * computed off the event loop, as {@link MetricsService} does.
 */
@ApplicationScoped
public class ActivityService {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "The newest stored events, newest first")
    public record RecentEvents(int limit, List<RecentEvent> events) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RecentEvent(long eventId, @Schema(examples = "PushEvent") String eventType, String repoName, String actorLogin,
                              @Schema(description = "the payload's action, empty for types without one") String action,
                              Instant createdAt) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "The gaps between adjacent matching events, oldest first: gaps[i] seconds passed before"
            + " the event at[i]")
    public record EventGaps(@Schema(nullable = true, examples = "PushEvent") String eventType, @Schema(nullable = true) String action,
                            @Schema(nullable = true) String repositoryName, int limit, List<Instant> at,
                            List<Long> gaps) {
    }

    /** Bucket widths of the PR openings: the aggregate holds hours. */
    public enum Interval {
        hour(3600), day(86_400);

        final int seconds;

        Interval(int seconds) {
            this.seconds = seconds;
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "Opened pull requests of a repository per interval; only buckets with an opened PR")
    public record PrOpenings(String repository, String interval,
                             @Schema(description = "start of each bucket") List<Instant> buckets,
                             @Schema(description = "opened[i] PRs were opened in buckets[i]") List<Long> opened) {
    }

    private final ClickHouse clickHouse;
    private final ActivityStore store;
    private final InstantSource clock;

    ActivityService(ClickHouse clickHouse, ActivityStore store, InstantSource clock) {
        this.clickHouse = clickHouse;
        this.store = store;
        this.clock = clock;
    }

    /** The newest events created up to now (the service's clock), newest first. */
    public Uni<RecentEvents> recentEvents(int limit) {
        Instant now = clock.instant();
        return clickHouse.async(() -> new RecentEvents(limit, store.recentEvents(now, limit).stream()
                .map(e -> new RecentEvent(e.eventId(), e.type(), e.repoName(), e.actorLogin(), e.action(),
                        e.createdAt()))
                .toList()));
    }

    /** The gaps among the newest {@code limit} + 1 matching events; each filter '' for any. */
    public Uni<EventGaps> eventGaps(String type, String action, String repository, int limit) {
        return clickHouse.async(() -> {
            List<Instant> newestFirst = store.eventTimes(type, action, repository, limit + 1);
            List<Instant> at = new ArrayList<>();
            List<Long> gaps = new ArrayList<>();
            for (int i = newestFirst.size() - 2; i >= 0; i--) {
                at.add(newestFirst.get(i));
                gaps.add(Duration.between(newestFirst.get(i + 1), newestFirst.get(i)).toSeconds());
            }
            return new EventGaps(type.isEmpty() ? null : type, action.isEmpty() ? null : action,
                    repository.isEmpty() ? null : repository, limit, at, gaps);
        });
    }

    public Uni<PrOpenings> prOpenings(String repository, Interval interval) {
        return clickHouse.async(() -> {
            List<ActivityStore.Bucket> b = store.prOpeningsPerBucket(repository, interval.seconds);
            return new PrOpenings(repository, interval.name(), b.stream().map(ActivityStore.Bucket::start).toList(),
                    b.stream().map(ActivityStore.Bucket::count).toList());
        });
    }
}
