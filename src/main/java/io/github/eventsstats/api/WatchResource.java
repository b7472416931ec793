package io.github.eventsstats.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.watch.WatchList;
import io.github.eventsstats.watch.WatchedRepository;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/**
 * The watched repositories: the list with each one's state for anyone, adding and removing for
 * the admin ({@link AdminOnly}). Each call reads or writes the watch file, so these run on a
 * worker thread (plain return types), never the event loop.
 */
@Path("/watch")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "watch")
public class WatchResource {

    private final WatchList list;

    WatchResource(WatchList list) {
        this.list = list;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "A watched repository and what GitHub last said about it")
    public record WatchState(
            @Schema(examples = "octocat/hello-world") String repository,
            @Schema(description = "config: from WATCH_REPOSITORIES (removed only there); api: added with PUT",
                    enumeration = {"config", "api"}) String source,
            Instant addedAt,
            @Schema(description = "pending: not polled yet; active: polled; not_found (404), moved (301: renamed or"
                    + " transferred), forbidden (403: access blocked), blocked (451: legal reasons): tried again"
                    + " after WATCH_UNAVAILABLE_RETRY",
                    enumeration = {"pending", "active", "not_found", "moved", "forbidden", "blocked"}) String status,
            @Schema(description = "every event of the repository is stored since complete_since, and its whole"
                    + " pull-request history") boolean complete,
            @Schema(description = "since when: the first successful poll of its events, once its pull-request history"
                    + " is loaded too", nullable = true) Instant completeSince,
            @Schema(nullable = true) Instant lastPollAt,
            @Schema(nullable = true) Instant lastSuccessAt,
            @Schema(description = "the next poll of its events (X-Poll-Interval, backoff, rate budget or retry)")
            Instant nextPollAt,
            @Schema(description = "what went wrong last; null after a success", nullable = true) String lastError,
            @Schema(nullable = true) Instant lastErrorAt,
            @Schema(description = "whether the pull-request history is loaded back to the first PR") boolean pullsLoaded,
            @Schema(description = "distinct pull requests stored from its pulls list, counted when a pass over it ends")
            long pullsStored,
            @Schema(description = "once loaded: every PR since is counted (its first PR, or when the history was loaded"
                    + " if it has none); null before, and while the repository is unavailable", nullable = true)
            Instant pullsCompleteSince,
            @Schema(nullable = true) Instant pullsLastSyncAt,
            @Schema(description = "the next request for its pulls list (WATCH_PULLS_INTERVAL, a pass under way, backoff"
                    + " or rate budget)") Instant pullsNextSyncAt,
            @Schema(description = "what went wrong last with its pulls list; null after a pass that ended well",
                    nullable = true) String pullsLastError,
            @Schema(nullable = true) Instant pullsLastErrorAt) {

        static WatchState of(WatchedRepository w) {
            boolean polled = w.status == WatchedRepository.Status.PENDING || w.status == WatchedRepository.Status.ACTIVE;
            return new WatchState(w.repository, w.configured ? "config" : "api", w.addedAt, w.status.tag(),
                    w.status == WatchedRepository.Status.ACTIVE && w.completeSince != null, w.completeSince,
                    w.events.lastPollAt, w.events.lastSuccessAt, polled || w.retryAt == null ? w.events.nextPollAt : w.retryAt,
                    w.lastError, w.lastErrorAt, w.pulls.loaded, w.pulls.stored,
                    w.pullRequestsCompleteSince().orElse(null), w.pulls.lastSyncAt, w.pulls.nextSyncAt,
                    w.pulls.lastError, w.pulls.lastErrorAt);
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "The watched repositories, by name")
    public record WatchStates(List<WatchState> repositories) {
    }

    @GET
    @Operation(summary = "The watched repositories and each one's state",
            description = "WATCH_REPOSITORIES and those added with PUT; each with since when it is complete, its last"
                    + " poll and its last error.")
    @APIResponse(responseCode = "200", description = "the list",
            content = @Content(schema = @Schema(implementation = WatchStates.class)))
    public WatchStates all() {
        return new WatchStates(list.all().stream().map(WatchState::of).toList());
    }

    @PUT
    @Path("/{owner}/{repo}")
    @AdminOnly
    @SecurityRequirement(name = AdminOnly.SCHEME)
    @Operation(summary = "Watch a repository",
            description = "Its events are polled from the next tick on, and its whole pull-request history is loaded."
                    + " Idempotent: a repository already watched (in any letter case) is answered as it is.")
    @APIResponse(responseCode = "201", description = "now watched",
            content = @Content(schema = @Schema(implementation = WatchState.class)))
    @APIResponse(responseCode = "200", description = "already watched",
            content = @Content(schema = @Schema(implementation = WatchState.class)))
    public Response add(
            @Parameter(description = ApiDocs.OWNER) @PathParam("owner")
            @Pattern(regexp = Params.OWNER, message = Params.OWNER_RULE) String owner,
            @Parameter(description = ApiDocs.REPO) @PathParam("repo")
            @Pattern(regexp = Params.REPO, message = Params.REPO_RULE) String repo) {
        String repository = owner + "/" + repo;
        WatchList.Added added = list.add(repository);
        WatchState state = WatchState.of(list.get(repository).orElseThrow());
        return Response.status(added == WatchList.Added.ADDED ? Response.Status.CREATED : Response.Status.OK)
                .entity(state).build();
    }

    @DELETE
    @Path("/{owner}/{repo}")
    @AdminOnly
    @SecurityRequirement(name = AdminOnly.SCHEME)
    @Operation(summary = "Stop watching a repository",
            description = "Its stored events stay. A repository of WATCH_REPOSITORIES is removed there, not here.")
    @APIResponse(responseCode = "204", description = "no longer watched")
    @APIResponse(responseCode = "404", description = "not watched",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "listed in WATCH_REPOSITORIES",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response remove(
            @Parameter(description = ApiDocs.OWNER) @PathParam("owner")
            @Pattern(regexp = Params.OWNER, message = Params.OWNER_RULE) String owner,
            @Parameter(description = ApiDocs.REPO) @PathParam("repo")
            @Pattern(regexp = Params.REPO, message = Params.REPO_RULE) String repo,
            @jakarta.ws.rs.core.Context UriInfo uri) {
        String repository = owner + "/" + repo;
        return switch (list.remove(repository)) {
            case REMOVED -> Response.noContent().build();
            case NOT_WATCHED -> ProblemMapper.problem(Response.Status.NOT_FOUND, repository + " is not watched",
                    uri.getPath(), null).toResponse();
            case CONFIGURED -> ProblemMapper.problem(Response.Status.CONFLICT, repository
                    + " is listed in WATCH_REPOSITORIES; remove it there and restart", uri.getPath(), null).toResponse();
        };
    }
}
