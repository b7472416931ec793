package io.github.eventsstats.api;

import io.github.eventsstats.watch.WatchService;
import io.github.eventsstats.watch.WatchService.WatchState;
import io.github.eventsstats.watch.WatchService.WatchStates;
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

/**
 * The watched repositories: the list with each one's state for anyone, adding and removing for
 * the admin ({@link AdminOnly}). Each call reads or writes the watch file ({@link WatchService}),
 * so these run on a worker thread (plain return types), never the event loop.
 */
@Path("/watch")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "watch")
public class WatchResource {

    private final WatchService watch;

    WatchResource(WatchService watch) {
        this.watch = watch;
    }

    @GET
    @Operation(summary = "The watched repositories and each one's state",
            description = "WATCH_REPOSITORIES and those added with PUT; each with since when it is complete, its last"
                    + " poll and its last error.")
    @APIResponse(responseCode = "200", description = "the list",
            content = @Content(schema = @Schema(implementation = WatchStates.class)))
    public WatchStates all() {
        return watch.all();
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
        WatchService.Watching watching = watch.add(owner + "/" + repo);
        return Response.status(watching.added() ? Response.Status.CREATED : Response.Status.OK)
                .entity(watching.state()).build();
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
        return switch (watch.remove(repository)) {
            case REMOVED -> Response.noContent().build();
            case NOT_WATCHED -> ProblemMapper.notFound(repository + " is not watched", uri.getPath());
            case CONFIGURED -> ProblemMapper.problem(Response.Status.CONFLICT, repository
                    + " is listed in WATCH_REPOSITORIES; remove it there and restart", uri.getPath(), null).toResponse();
        };
    }
}
