package io.github.eventsstats.api;

import io.github.eventsstats.metrics.MetricsAnswers.EventAvgTime;
import io.github.eventsstats.metrics.MetricsAnswers.EventCounts;
import io.github.eventsstats.metrics.MetricsAnswers.EventTotals;
import io.github.eventsstats.metrics.MetricsAnswers.MultipleEventsRepos;
import io.github.eventsstats.metrics.MetricsAnswers.PrAverage;
import io.github.eventsstats.metrics.MetricsAnswers.TopRepos;
import io.github.eventsstats.metrics.MetricsAnswers.UserSessions;
import io.github.eventsstats.metrics.MetricsAnswers.Visualization;
import io.github.eventsstats.metrics.LifecycleAnswers.Comparison;
import io.github.eventsstats.metrics.LifecycleAnswers.Issues;
import io.github.eventsstats.metrics.LifecycleAnswers.PullRequests;
import io.github.eventsstats.metrics.LifecycleService;
import io.github.eventsstats.metrics.MetricsService;
import io.github.eventsstats.metrics.MetricsService.EventAvgTimeQuery;
import io.github.eventsstats.metrics.MetricsService.EventsQuery;
import io.github.eventsstats.metrics.MetricsService.EventsTotalCountQuery;
import io.github.eventsstats.metrics.MetricsService.MultipleEventsReposQuery;
import io.github.eventsstats.metrics.MetricsService.TopReposQuery;
import io.github.eventsstats.metrics.MetricsService.UserSessionsQuery;
import io.github.eventsstats.metrics.VisualizationQuery;
import io.github.eventsstats.metrics.VisualizationQuery.Interval;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
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

import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The metrics. Every endpoint validates its input first (the Bean Validation annotations on its
 * parameters, which the OpenAPI document also shows, then what only code can check), then asks
 * {@link MetricsService} the question as a query record: the key of its cached answer, which the
 * service computes off the event loop.
 */
@Path("/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "metrics")
public class MetricsResource {

    static final int MAX_OFFSET_MINUTES = 525_600;
    static final int MAX_DAYS = 365;
    static final int MAX_LIMIT = 1000;
    static final int MAX_MIN_COUNT = 1_000_000_000;
    static final int MAX_BUCKETS = 1440;

    static final String BOOLEAN = "^(true|false)$";
    static final String BOOLEAN_RULE = "must be true or false";
    static final String LIFECYCLE = " Definitions (docs/design/lifecycle.md): an item belongs to the window by its creation"
            + " time; bots (author type Bot, or a login ending in [bot]) are left out unless include_bots=true, and a"
            + " bot's comment is never a response; the first response is the earliest issue comment or review comment"
            + " by someone who is neither the author nor a bot; quantiles are exact (nearest rank) over the items the"
            + " field counts. A repository whose history (pulls, issues and comments lists) is loaded is answered from"
            + " it with complete: true; any other from the stored events (opened paired with merged or closed events of"
            + " the same number) with complete: false, and history says where its loading stands.";

    private final MetricsService metrics;
    private final LifecycleService lifecycle;
    private final InstantSource clock;

    MetricsResource(MetricsService metrics, LifecycleService lifecycle, InstantSource clock) {
        this.metrics = metrics;
        this.lifecycle = lifecycle;
        this.clock = clock;
    }

    @GET
    @Path("/pull-requests/{owner}/{repo}")
    @Operation(summary = "The lifecycle of a repository's pull requests created in the last N days",
            description = "Opened, merged, closed unmerged and open PRs, the merge rate, the times to merge, to close"
                    + " and to the first response, and the same by week." + LIFECYCLE)
    @APIResponse(responseCode = "200", description = "the lifecycle",
            content = @Content(schema = @Schema(implementation = PullRequests.class)))
    public Uni<PullRequests> pullRequests(
            @Parameter(description = ApiDocs.OWNER) @PathParam("owner")
            @Pattern(regexp = Params.OWNER, message = Params.OWNER_RULE) String owner,
            @Parameter(description = ApiDocs.REPO) @PathParam("repo")
            @Pattern(regexp = Params.REPO, message = Params.REPO_RULE) String repo,
            @Valid @BeanParam LifecycleWindow window) {
        return lifecycle.pullRequests(owner + "/" + repo, window.days(), window.includeBots());
    }

    @GET
    @Path("/issues/{owner}/{repo}")
    @Operation(summary = "The lifecycle of a repository's issues created in the last N days",
            description = "Opened, closed and open issues (pull requests are not issues), the times to close and to"
                    + " the first response, and the same by week." + LIFECYCLE)
    @APIResponse(responseCode = "200", description = "the lifecycle",
            content = @Content(schema = @Schema(implementation = Issues.class)))
    public Uni<Issues> issues(
            @Parameter(description = ApiDocs.OWNER) @PathParam("owner")
            @Pattern(regexp = Params.OWNER, message = Params.OWNER_RULE) String owner,
            @Parameter(description = ApiDocs.REPO) @PathParam("repo")
            @Pattern(regexp = Params.REPO, message = Params.REPO_RULE) String repo,
            @Valid @BeanParam LifecycleWindow window) {
        return lifecycle.issues(owner + "/" + repo, window.days(), window.includeBots());
    }

    @GET
    @Path("/compare")
    @Operation(summary = "Up to 10 repositories' pull-request and issue lifecycles side by side",
            description = "Each repository's answers are those of /metrics/pull-requests and /metrics/issues, with"
                    + " their completeness, in the order asked." + LIFECYCLE)
    @APIResponse(responseCode = "200", description = "the comparison",
            content = @Content(schema = @Schema(implementation = Comparison.class)))
    public Uni<Comparison> compare(
            @Parameter(description = "1 to 10 distinct repositories, owner/repo, comma-separated",
                    examples = @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(name = "two",
                            value = "octocat/hello-world,octocat/spoon-knife"))
            @QueryParam("repos") @NotNull String repos,
            @Valid @BeanParam LifecycleWindow window) {
        return lifecycle.compare(Params.repositories("repos", repos, LifecycleService.MAX_COMPARED),
                window.days(), window.includeBots());
    }

    @GET
    @Path("/pr-average/{owner}/{repo}")
    @Operation(summary = "Average time between consecutive opened pull requests",
            description = "Read from the pr_metrics_agg aggregate, so it costs the same however large `events` grows."
                    + " A pull request counts once by its number, whether seen as an event (poller, watched repository,"
                    + " GH Archive) or in a watched repository's pulls list. complete is true for a watched repository"
                    + " whose pull-request history is loaded, false where only the events this service saw count."
                    + " A valid repository without pull requests gets pr_count 0.")
    @APIResponse(responseCode = "200", description = "the average",
            content = @Content(schema = @Schema(implementation = PrAverage.class)))
    public Uni<PrAverage> prAverage(
            @Parameter(description = ApiDocs.OWNER) @PathParam("owner")
            @Pattern(regexp = Params.OWNER, message = Params.OWNER_RULE) String owner,
            @Parameter(description = ApiDocs.REPO) @PathParam("repo")
            @Pattern(regexp = Params.REPO, message = Params.REPO_RULE) String repo) {
        return metrics.prAverage(owner + "/" + repo);
    }

    @GET
    @Path("/events")
    @Operation(summary = "Events by type created in the last N minutes",
            description = "Counts events with from <= created_at <= to, where to is now (to the second) and"
                    + " from = to - offset minutes: an event exactly offset minutes old is counted.")
    @APIResponse(responseCode = "200", description = "the counts",
            content = @Content(schema = @Schema(implementation = EventCounts.class)))
    public Uni<EventCounts> events(
            @Parameter(description = "the window in minutes", schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("offset") @NotNull @WholeNumber @Min(1) @Max(MAX_OFFSET_MINUTES) String offset) {
        return metrics.events(new EventsQuery(Integer.parseInt(offset)));
    }

    @GET
    @Path("/visualization")
    @Operation(summary = "Events per minute, hour or day by type, ready to chart",
            description = "Counts events with from <= created_at < to in buckets of one interval. from is rounded"
                    + " down to the interval. Defaults: to is the end of the current interval, from 60 minutes,"
                    + " 24 hours or 30 days earlier. At most 1440 buckets.")
    @APIResponse(responseCode = "200", description = "the series",
            content = @Content(schema = @Schema(implementation = Visualization.class)))
    public Uni<Visualization> visualization(
            @Parameter(description = "bucket width", schema = @Schema(implementation = Interval.class))
            @QueryParam("interval") @DefaultValue("hour") String intervalParam,
            @Parameter(description = "window start, ISO-8601 UTC (e.g. 2026-01-31T00:00:00Z)")
            @QueryParam("from") String fromParam,
            @Parameter(description = "window end, exclusive, ISO-8601 UTC") @QueryParam("to") String toParam) {
        Interval interval = Params.oneOf("interval", intervalParam, Interval.class);
        Params.Window asked = Params.window(fromParam, toParam);
        VisualizationQuery.Window window = new VisualizationQuery(interval, asked.from(), asked.to()).at(now());
        if (!window.to().isAfter(window.from())) {
            throw new BadParameterException("to", "to must be after from");
        }
        if (window.buckets() > MAX_BUCKETS) {
            throw new BadParameterException("from", "from is too early: from..to spans " + window.buckets() + " "
                    + interval + "s, more than " + MAX_BUCKETS + " buckets; narrow the window or use a wider interval");
        }
        return metrics.visualization(window);
    }

    @GET
    @Path("/event-avg-time")
    @Operation(summary = "Average time between adjacent events",
            description = "Over all stored events that match the optional filters: (last - first) / (count - 1).")
    @APIResponse(responseCode = "200", description = "the average",
            content = @Content(schema = @Schema(implementation = EventAvgTime.class)))
    public Uni<EventAvgTime> eventAvgTime(
            @Parameter(description = ApiDocs.EVENT_TYPE, schema = @Schema(type = SchemaType.STRING, examples = "PushEvent"))
            @QueryParam("event_type") String eventType,
            @Parameter(description = ApiDocs.ACTION) @QueryParam("action")
            @Pattern(regexp = Params.ACTION, message = Params.ACTION_RULE) String action,
            @Parameter(description = ApiDocs.REPOSITORY_NAME) @QueryParam("repository_name") String repositoryName) {
        return metrics.eventAvgTime(new EventAvgTimeQuery(Params.optionalEventType("event_type", eventType),
                Objects.requireNonNullElse(action, ""), Params.optionalRepository("repository_name", repositoryName)));
    }

    @GET
    @Path("/events-total-count")
    @Operation(summary = "All stored events by type", description = "Optionally of one action and repository.")
    @APIResponse(responseCode = "200", description = "the totals",
            content = @Content(schema = @Schema(implementation = EventTotals.class)))
    public Uni<EventTotals> eventsTotalCount(
            @Parameter(description = ApiDocs.ACTION) @QueryParam("action")
            @Pattern(regexp = Params.ACTION, message = Params.ACTION_RULE) String action,
            @Parameter(description = ApiDocs.REPOSITORY_NAME) @QueryParam("repository_name") String repositoryName) {
        return metrics.eventsTotalCount(new EventsTotalCountQuery(Objects.requireNonNullElse(action, ""),
                Params.optionalRepository("repository_name", repositoryName)));
    }

    @GET
    @Path("/multiple-events-repos")
    @Operation(summary = "Repositories with more than min_count events of one type",
            description = "A map from full name to count, in descending count order (ties by name).")
    @APIResponse(responseCode = "200", description = "the repositories",
            content = @Content(schema = @Schema(implementation = MultipleEventsRepos.class)))
    public Uni<MultipleEventsRepos> multipleEventsRepos(
            @Parameter(description = ApiDocs.EVENT_TYPE, schema = @Schema(type = SchemaType.STRING, examples = "PushEvent"))
            @QueryParam("event_type") @NotNull String eventType,
            @Parameter(description = "a repository needs more than this many events",
                    schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("min_count") @DefaultValue("1") @WholeNumber @Min(0) @Max(MAX_MIN_COUNT) String minCount,
            @Parameter(description = ApiDocs.LIMIT, schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("limit") @DefaultValue("100") @WholeNumber @Min(1) @Max(MAX_LIMIT) String limit) {
        return metrics.multipleEventsRepos(new MultipleEventsReposQuery(Params.eventType("event_type", eventType),
                Integer.parseInt(minCount), Integer.parseInt(limit)));
    }

    @GET
    @Path("/top-repos")
    @Operation(summary = "The most active repositories of the last D days",
            description = "Events with now - days <= created_at <= now, by repository, most events first; with the"
                    + " stars and language of the repository's enriched profile where there is one.")
    @APIResponse(responseCode = "200", description = "the repositories",
            content = @Content(schema = @Schema(implementation = TopRepos.class)))
    public Uni<TopRepos> topRepos(
            @Parameter(description = ApiDocs.DAYS, schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("days") @DefaultValue("7") @WholeNumber @Min(1) @Max(MAX_DAYS) String days,
            @Parameter(description = ApiDocs.LIMIT, schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("limit") @DefaultValue("10") @WholeNumber @Min(1) @Max(MAX_LIMIT) String limit) {
        return metrics.topRepos(new TopReposQuery(Integer.parseInt(days), Integer.parseInt(limit)));
    }

    @GET
    @Path("/user-sessions")
    @Operation(summary = "Actors' sessions of the last D days",
            description = "A session is a run of one actor's events with no gap longer than 30 minutes (a gap of"
                    + " exactly 30 minutes continues it). Computed in ClickHouse over events with"
                    + " now - days <= created_at <= now; a session that began earlier is cut at the window start."
                    + " Largest sessions first, then the most recent.")
    @APIResponse(responseCode = "200", description = "the sessions",
            content = @Content(schema = @Schema(implementation = UserSessions.class)))
    public Uni<UserSessions> userSessions(
            @Parameter(description = ApiDocs.DAYS, schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("days") @DefaultValue("1") @WholeNumber @Min(1) @Max(MAX_DAYS) String days,
            @Parameter(description = ApiDocs.LIMIT, schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("limit") @DefaultValue("20") @WholeNumber @Min(1) @Max(MAX_LIMIT) String limit,
            @Parameter(description = "only this actor's sessions (a GitHub login)") @QueryParam("actor_login")
            @Pattern(regexp = Params.OWNER, message = Params.OWNER_RULE) String actorLogin) {
        return metrics.userSessions(new UserSessionsQuery(Integer.parseInt(days), Integer.parseInt(limit),
                Objects.requireNonNullElse(actorLogin, "")));
    }

    /** Windows are whole seconds, as created_at is. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
