package io.github.eventsstats.api;

import io.github.eventsstats.metrics.ActivityService;
import io.github.eventsstats.metrics.ActivityService.EventGaps;
import io.github.eventsstats.metrics.ActivityService.Interval;
import io.github.eventsstats.metrics.ActivityService.PrOpenings;
import io.github.eventsstats.metrics.ActivityService.RecentEvents;
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

import java.util.Objects;

/**
 * What the dashboard at / needs beyond the metrics: the latest stored events, one repository's
 * opened PRs over time, each gap between adjacent events, as {@link ActivityService} answers them.
 */
@Path("/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "activity")
public class ActivityResource {

    static final int MAX_RECENT = 1000;
    static final int MAX_GAPS = 10_000;

    private final ActivityService activity;

    ActivityResource(ActivityService activity) {
        this.activity = activity;
    }

    @GET
    @Path("/recent-events")
    @Operation(summary = "The newest stored events, newest first",
            description = "By created_at, among the events of the day before the newest one created up to now;"
                    + " an event dated in the future is left out.")
    @APIResponse(responseCode = "200", description = "the events",
            content = @Content(schema = @Schema(implementation = RecentEvents.class)))
    public Uni<RecentEvents> recentEvents(
            @Parameter(description = ApiDocs.LIMIT, schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("limit") @DefaultValue("50") @WholeNumber @Min(1) @Max(MAX_RECENT) String limit) {
        return activity.recentEvents(Integer.parseInt(limit));
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
        return activity.eventGaps(Params.optionalEventType("event_type", eventType),
                Objects.requireNonNullElse(action, ""), Params.optionalRepository("repository_name", repositoryName),
                Integer.parseInt(limit));
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
        return activity.prOpenings(owner + "/" + repo, Interval.valueOf(interval));
    }
}
