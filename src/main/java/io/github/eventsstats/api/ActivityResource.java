package io.github.eventsstats.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.metrics.ActivityStore;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the dashboard at / needs beyond the metrics: the latest stored events, one repository's
 * opened PRs over time, each gap between adjacent events. Queries run on virtual threads, as in
 * {@link MetricsResource}.
 */
@Path("/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "activity")
public class ActivityResource {

    static final int MAX_RECENT = 1000;
    static final int MAX_GAPS = 10_000;

    private final ClickHouse clickHouse;
    private final ActivityStore store;

    ActivityResource(ClickHouse clickHouse, ActivityStore store) {
        this.clickHouse = clickHouse;
        this.store = store;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "The newest stored events, newest first")
    public record RecentEvents(int limit, List<RecentEvent> events) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RecentEvent(long eventId, @Schema(examples = "PushEvent") String eventType, String repoName, String actorLogin,
                              @Schema(description = "the payload's action, empty for types without one") String action,
                              Instant createdAt) {
    }

    @GET
    @Path("/recent-events")
    @Operation(summary = "The newest stored events, newest first",
            description = "By created_at, among the events of the day before the newest one.")
    @APIResponse(responseCode = "200", description = "the events",
            content = @Content(schema = @Schema(implementation = RecentEvents.class)))
    public Uni<RecentEvents> recentEvents(
            @Parameter(description = ApiDocs.LIMIT, schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("limit") @DefaultValue("50") @WholeNumber @Min(1) @Max(MAX_RECENT) String limit) {
        int max = Integer.parseInt(limit);
        return clickHouse.async(() -> new RecentEvents(max, store.recentEvents(max).stream()
                .map(e -> new RecentEvent(e.eventId(), e.type(), e.repoName(), e.actorLogin(), e.action(),
                        e.createdAt()))
                .toList()));
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "The gaps between adjacent matching events, oldest first: gaps[i] seconds passed before"
            + " the event at[i]")
    public record EventGaps(@Schema(nullable = true, examples = "PushEvent") String eventType, @Schema(nullable = true) String action,
                            @Schema(nullable = true) String repositoryName, int limit, List<Instant> at,
                            List<Long> gaps) {
    }

    @GET
    @Path("/event-gaps")
    @Operation(summary = "Each gap between adjacent events, for the newest events that match",
            description = "The points behind /metrics/event-avg-time (which averages over every matching event):"
                    + " the gaps among the newest limit + 1 matching events.")
    @APIResponse(responseCode = "200", description = "the gaps",
            content = @Content(schema = @Schema(implementation = EventGaps.class)))
    public Uni<EventGaps> eventGaps(
            @Parameter(description = ApiDocs.EVENT_TYPE, schema = @Schema(type = SchemaType.STRING, examples = "PushEvent"))
            @QueryParam("event_type") String eventType,
            @Parameter(description = ApiDocs.ACTION) @QueryParam("action")
            @Pattern(regexp = Params.ACTION, message = Params.ACTION_RULE) String action,
            @Parameter(description = ApiDocs.REPOSITORY_NAME) @QueryParam("repository_name") String repositoryName,
            @Parameter(description = ApiDocs.LIMIT, schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("limit") @DefaultValue("500") @WholeNumber @Min(1) @Max(MAX_GAPS) String limit) {
        String type = Params.optionalEventType("event_type", eventType);
        String act = Objects.requireNonNullElse(action, "");
        String repository = Params.optionalRepository("repository_name", repositoryName);
        int max = Integer.parseInt(limit);
        return clickHouse.async(() -> {
            List<Instant> newestFirst = store.eventTimes(type, act, repository, max + 1);
            List<Instant> at = new ArrayList<>();
            List<Long> gaps = new ArrayList<>();
            for (int i = newestFirst.size() - 2; i >= 0; i--) {
                at.add(newestFirst.get(i));
                gaps.add(Duration.between(newestFirst.get(i + 1), newestFirst.get(i)).toSeconds());
            }
            return new EventGaps(type.isEmpty() ? null : type, act.isEmpty() ? null : act,
                    repository.isEmpty() ? null : repository, max, at, gaps);
        });
    }

    /** Bucket widths of the PR openings: the aggregate holds hours. */
    enum Interval {
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

    @GET
    @Path("/pr-openings/{owner}/{repo}")
    @Operation(summary = "Opened pull requests of one repository over time",
            description = "From the pr_metrics_agg aggregate, like pr-average: the buckets with at least one opened PR.")
    @APIResponse(responseCode = "200", description = "the series",
            content = @Content(schema = @Schema(implementation = PrOpenings.class)))
    public Uni<PrOpenings> prOpenings(
            @Parameter(description = ApiDocs.OWNER) @PathParam("owner")
            @Pattern(regexp = Params.OWNER, message = Params.OWNER_RULE) String owner,
            @Parameter(description = ApiDocs.REPO) @PathParam("repo")
            @Pattern(regexp = Params.REPO, message = Params.REPO_RULE) String repo,
            @Parameter(description = "bucket width", schema = @Schema(implementation = Interval.class))
            @QueryParam("interval") @DefaultValue("day")
            @Pattern(regexp = "^(hour|day)$", message = "must be one of hour, day") String interval) {
        String repository = owner + "/" + repo;
        Interval i = Interval.valueOf(interval);
        return clickHouse.async(() -> {
            List<ActivityStore.Bucket> b = store.prOpeningsPerBucket(repository, i.seconds);
            return new PrOpenings(repository, i.name(), b.stream().map(ActivityStore.Bucket::start).toList(),
                    b.stream().map(ActivityStore.Bucket::count).toList());
        });
    }
}
