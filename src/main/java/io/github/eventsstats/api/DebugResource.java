package io.github.eventsstats.api;

import io.github.eventsstats.metrics.MetricsAnswers.RepoEvents;
import io.github.eventsstats.metrics.MetricsAnswers.TotalEvents;
import io.github.eventsstats.metrics.MetricsService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Row counts, to see what the service has stored and whether copies await a merge. */
@Path("/debug")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "debug")
public class DebugResource {

    private final MetricsService metrics;

    DebugResource(MetricsService metrics) {
        this.metrics = metrics;
    }

    @GET
    @Path("/total-events")
    @Operation(summary = "Stored events and physical rows of the whole table")
    @APIResponse(responseCode = "200", description = "the counts",
            content = @Content(schema = @Schema(implementation = TotalEvents.class)))
    public Uni<TotalEvents> totalEvents() {
        return metrics.totalEvents();
    }

    @GET
    @Path("/repo-events/{owner}/{repo}")
    @Operation(summary = "Stored events and physical rows of one repository")
    @APIResponse(responseCode = "200", description = "the counts",
            content = @Content(schema = @Schema(implementation = RepoEvents.class)))
    public Uni<RepoEvents> repoEvents(
            @Parameter(description = ApiDocs.OWNER) @PathParam("owner")
            @Pattern(regexp = Params.OWNER, message = Params.OWNER_RULE) String owner,
            @Parameter(description = ApiDocs.REPO) @PathParam("repo")
            @Pattern(regexp = Params.REPO, message = Params.REPO_RULE) String repo) {
        return metrics.repoEvents(owner + "/" + repo);
    }
}
