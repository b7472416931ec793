package io.github.eventsstats.api;

import io.github.eventsstats.api.Responses.EventAvgTime;
import io.github.eventsstats.api.Responses.EventCounts;
import io.github.eventsstats.api.Responses.EventTotals;
import io.github.eventsstats.api.Responses.MultipleEventsRepos;
import io.github.eventsstats.api.Responses.PrAverage;
import io.github.eventsstats.api.Responses.TopRepo;
import io.github.eventsstats.api.Responses.TopRepos;
import io.github.eventsstats.api.Responses.UserSession;
import io.github.eventsstats.api.Responses.UserSessions;
import io.github.eventsstats.api.Responses.Visualization;
import io.github.eventsstats.cache.AnswerCache;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.coverage.Coverage;
import io.github.eventsstats.coverage.CoverageService;
import io.github.eventsstats.enrich.EnrichmentStore;
import io.github.eventsstats.metrics.MetricsStore;
import io.github.eventsstats.watch.WatchList;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The metrics. Every endpoint validates its input first (the Bean Validation annotations on its
 * parameters, which the OpenAPI document also shows, then what only code can check), then runs its
 * query on a virtual thread ({@link ClickHouse#async}), so the event loop never waits for ClickHouse.
 * Answers go through the {@link AnswerCache}, keyed by the endpoint and its normalised parameters.
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
    static final int SESSION_GAP_MINUTES = 30;

    private final ClickHouse clickHouse;
    private final MetricsStore store;
    private final InstantSource clock;
    private final AnswerCache cache;
    private final CoverageService coverage;
    private final WatchList watched;
    private final EnrichmentStore profiles;

    MetricsResource(ClickHouse clickHouse, MetricsStore store, InstantSource clock, AnswerCache cache,
                    CoverageService coverage, WatchList watched, EnrichmentStore profiles) {
        this.clickHouse = clickHouse;
        this.store = store;
        this.clock = clock;
        this.cache = cache;
        this.coverage = coverage;
        this.watched = watched;
        this.profiles = profiles;
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
        String repository = owner + "/" + repo;
        Instant completeSince = watched.pullRequestsCompleteSince(repository).orElse(null);
        // In the key: an answer from before the history was loaded (or before the repository went away) is not reused.
        return cache.answer("pr-average/" + repository + "?complete_since=" + completeSince,
                () -> clickHouse.async(() -> PrAverage.of(repository, store.prOpenings(repository), completeSince)));
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
        int minutes = Integer.parseInt(offset);
        Instant to = now();
        Instant from = to.minus(Duration.ofMinutes(minutes));
        return cache.answer("events?offset=" + minutes,
                () -> clickHouse.async(() -> EventCounts.of(minutes, from, to, store.countsInWindow(from, to),
                        coverage.of(from, to))));
    }

    /** Bucket widths of the visualization. */
    enum Interval {
        minute(60, 60), hour(3600, 24), day(86_400, 30);

        final int seconds;
        final int defaultBuckets;

        Interval(int seconds, int defaultBuckets) {
            this.seconds = seconds;
            this.defaultBuckets = defaultBuckets;
        }

        static Interval of(String value) {
            for (Interval i : values()) {
                if (i.name().equals(value)) {
                    return i;
                }
            }
            throw Params.bad("interval", value, "must be one of "
                    + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
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
        Interval interval = Interval.of(intervalParam);
        long step = interval.seconds;
        Instant requestedTo = Params.optionalInstant("to", toParam);
        Instant requestedFrom = Params.optionalInstant("from", fromParam);
        Instant to = requestedTo != null ? checkDateTime("to", requestedTo) : floor(now(), step).plusSeconds(step);
        Instant from = floor(requestedFrom != null ? checkDateTime("from", requestedFrom)
                : to.minusSeconds(step * interval.defaultBuckets), step);
        if (!to.isAfter(from)) {
            throw new BadParameterException("to", "to must be after from");
        }
        long buckets = (to.getEpochSecond() - from.getEpochSecond() + step - 1) / step;
        if (buckets > MAX_BUCKETS) {
            throw new BadParameterException("from", "from is too early: from..to spans " + buckets + " " + interval
                    + "s, more than " + MAX_BUCKETS + " buckets; narrow the window or use a wider interval");
        }
        return cache.answer("visualization?interval=" + interval + "&from=" + (requestedFrom != null ? from : "")
                        + "&to=" + (requestedTo != null ? to : ""),
                () -> clickHouse.async(() -> chart(interval, from, to, (int) buckets,
                        store.countsPerBucket(from, to, interval.seconds), coverage.of(from, to.minusSeconds(1)))));
    }

    /** Lays the non-empty buckets on the full axis, zeros elsewhere. */
    private static Visualization chart(Interval interval, Instant from, Instant to, int buckets,
                                       List<MetricsStore.Bucket> counted, Coverage coverage) {
        Map<String, long[]> series = new LinkedHashMap<>();
        for (String t : MetricsStore.withDefaults(Map.of()).keySet()) {
            series.put(t, new long[buckets]);
        }
        counted.stream().map(MetricsStore.Bucket::type).sorted().forEach(t -> series.computeIfAbsent(t, k -> new long[buckets]));
        for (MetricsStore.Bucket b : counted) {
            series.get(b.type())[(int) ((b.start().getEpochSecond() - from.getEpochSecond()) / interval.seconds)] =
                    b.count();
        }
        List<Instant> starts = new ArrayList<>(buckets);
        for (int i = 0; i < buckets; i++) {
            starts.add(from.plusSeconds((long) i * interval.seconds));
        }
        Map<String, List<Long>> boxed = new LinkedHashMap<>();
        series.forEach((t, counts) -> boxed.put(t, Arrays.stream(counts).boxed().toList()));
        return new Visualization(interval.name(), from, to, starts, boxed, coverage);
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
        String type = Params.optionalEventType("event_type", eventType);
        String act = Objects.requireNonNullElse(action, "");
        String repository = Params.optionalRepository("repository_name", repositoryName);
        return cache.answer("event-avg-time?event_type=" + type + "&action=" + act + "&repository_name=" + repository,
                () -> clickHouse.async(() -> EventAvgTime.of(type, act, repository, store.eventGaps(type, act, repository),
                        coverage.ofAll())));
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
        String act = Objects.requireNonNullElse(action, "");
        String repository = Params.optionalRepository("repository_name", repositoryName);
        return cache.answer("events-total-count?action=" + act + "&repository_name=" + repository,
                () -> clickHouse.async(() -> EventTotals.of(act, repository, store.totalsByType(act, repository),
                        coverage.ofAll())));
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
        String type = Params.eventType("event_type", eventType);
        int min = Integer.parseInt(minCount);
        int max = Integer.parseInt(limit);
        return cache.answer("multiple-events-repos?event_type=" + type + "&min_count=" + min + "&limit=" + max,
                () -> clickHouse.async(() -> new MultipleEventsRepos(type, min, max, store.reposWithMoreThan(type, min, max),
                        coverage.ofAll())));
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
        int d = Integer.parseInt(days);
        int max = Integer.parseInt(limit);
        Instant to = now();
        Instant from = to.minus(Duration.ofDays(d));
        return cache.answer("top-repos?days=" + d + "&limit=" + max, () -> clickHouse.async(() -> {
            List<MetricsStore.RepoActivity> top = store.topRepos(from, to, max);
            // The profiles of the returned rows only, looked up by name beside the ranking.
            Map<String, EnrichmentStore.RepoBrief> briefs = profiles.repoBriefs(
                    top.stream().map(MetricsStore.RepoActivity::repoName).toList());
            return new TopRepos(d, from, to, max, top.stream().map(a -> TopRepo.of(a, briefs.get(a.repoName()))).toList(),
                    coverage.of(from, to));
        }));
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
        int d = Integer.parseInt(days);
        int max = Integer.parseInt(limit);
        String actor = Objects.requireNonNullElse(actorLogin, "");
        Instant to = now();
        Instant from = to.minus(Duration.ofDays(d));
        return cache.answer("user-sessions?days=" + d + "&limit=" + max + "&actor_login=" + actor,
                () -> clickHouse.async(() -> new UserSessions(d, from, to, SESSION_GAP_MINUTES, max,
                        store.sessions(from, to, actor, SESSION_GAP_MINUTES * 60, max).stream().map(UserSession::of).toList(),
                        coverage.of(from, to))));
    }

    /** ClickHouse's DateTime holds 1970 to 2106; keep well inside it. */
    static Instant checkDateTime(String parameter, Instant value) {
        if (value.isBefore(Instant.EPOCH) || value.isAfter(Instant.parse("2100-01-01T00:00:00Z"))) {
            throw Params.bad(parameter, value.toString(), "must be between 1970-01-01T00:00:00Z and 2100-01-01T00:00:00Z");
        }
        return value;
    }

    private static Instant floor(Instant t, long stepSeconds) {
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), stepSeconds) * stepSeconds);
    }

    /** Windows are whole seconds, as created_at is. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
