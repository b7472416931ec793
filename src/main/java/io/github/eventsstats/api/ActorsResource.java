package io.github.eventsstats.api;

import io.github.eventsstats.enrich.ProfileAnswers.Actor;
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

/** One actor: its GitHub profile as the enricher stored it, and its stored events. */
@Path("/actors")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "profiles")
public class ActorsResource {

    /** A GitHub login, or an app's bot user (dependabot[bot]). */
    static final String LOGIN = "^[A-Za-z0-9][A-Za-z0-9-]{0,38}(\\[bot\\])?$";
    static final String LOGIN_RULE = "must be a GitHub login: 1 to 39 ASCII letters, digits or hyphens, not starting"
            + " with a hyphen, optionally followed by [bot]";

    private final ProfileService profiles;

    ActorsResource(ProfileService profiles) {
        this.profiles = profiles;
    }

    @GET
    @Path("/{login}")
    @Operation(summary = "An actor's GitHub profile and stored activity",
            description = "The profile the enricher fetched (ENRICH_ENABLED), with the time it was fetched and last"
                    + " checked, beside the actor's stored events. 404 when neither a profile nor an event is stored."
                    + " The login is matched as events spell it.")
    @APIResponse(responseCode = "200", description = "the actor",
            content = @Content(schema = @Schema(implementation = Actor.class)))
    @APIResponse(responseCode = "404", description = "no stored profile or event of this login",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> actor(
            @Parameter(description = "a GitHub login") @PathParam("login")
            @Pattern(regexp = LOGIN, message = LOGIN_RULE) String login,
            @Context UriInfo uri) {
        String path = uri.getPath();
        return profiles.actor(login).map(actor -> actor.map(a -> Response.ok(a).build()).orElseGet(() ->
                ProblemMapper.notFound("no profile or event of " + login + " is stored", path)));
    }
}
