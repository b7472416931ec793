package io.github.eventsstats.api;

import io.github.eventsstats.enrich.ProfileAnswers.Repository;
import io.github.eventsstats.enrich.ProfileService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** One repository: its GitHub profile as the enricher stored it, and its stored events. */
@Path("/repositories")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "profiles")
public class RepositoriesResource {

    private final ProfileService profiles;

    RepositoriesResource(ProfileService profiles) {
        this.profiles = profiles;
    }

    @GET
    @Path("/{owner}/{repo}")
    @Operation(summary = "A repository's GitHub profile and stored activity",
            description = "The profile the enricher fetched (ENRICH_ENABLED), with the time it was fetched and last"
                    + " checked, beside the repository's stored events. 404 when neither is stored.")
    @APIResponse(responseCode = "200", description = "the repository",
            content = @Content(schema = @Schema(implementation = Repository.class)))
    @APIResponse(responseCode = "404", description = "no stored profile or event of this repository",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> repository(
            @Parameter(description = ApiDocs.OWNER) @PathParam("owner")
            @Pattern(regexp = Params.OWNER, message = Params.OWNER_RULE) String owner,
            @Parameter(description = ApiDocs.REPO) @PathParam("repo")
            @Pattern(regexp = Params.REPO, message = Params.REPO_RULE) String repo,
            @Context UriInfo uri) {
        String name = owner + "/" + repo;
        String path = uri.getPath();
        return profiles.repository(name).map(repository -> repository.map(r -> Response.ok(r).build()).orElseGet(() ->
                ProblemMapper.notFound("no profile or event of " + name + " is stored", path)));
    }
}
