package io.github.eventsstats.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.enrich.EnrichmentStore.ActorProfile;
import io.github.eventsstats.enrich.EnrichmentStore;
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

import java.time.Instant;
import java.util.Map;

/** One actor: its GitHub profile as the enricher stored it, and its stored events. */
@Path("/actors")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "profiles")
public class ActorsResource {

    /** A GitHub login, or an app's bot user (dependabot[bot]). */
    static final String LOGIN = "^[A-Za-z0-9][A-Za-z0-9-]{0,38}(\\[bot\\])?$";
    static final String LOGIN_RULE = "must be a GitHub login: 1 to 39 ASCII letters, digits or hyphens, not starting"
            + " with a hyphen, optionally followed by [bot]";

    private final ClickHouse clickHouse;
    private final EnrichmentStore store;

    ActorsResource(ClickHouse clickHouse, EnrichmentStore store) {
        this.clickHouse = clickHouse;
        this.store = store;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "An actor's enrichment and stored activity")
    public record Actor(
            @Schema(examples = "octocat") String login,
            @Schema(description = ProfileDocs.STATUS, examples = "ok") String profileStatus,
            @Schema(nullable = true, description = ProfileDocs.FETCHED_AT) Instant fetchedAt,
            @Schema(nullable = true, description = ProfileDocs.CHECKED_AT) Instant checkedAt,
            @Schema(nullable = true, description = "GET /users/{login} as stored; null unless profile_status is ok")
            Profile profile,
            Activity activity) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Profile(long id, String name, String company, String location,
                          @Schema(nullable = true, description = "ISO 3166-1 alpha-2 country told offline from location;"
                                  + " null when it cannot be told", examples = "DE") String countryCode,
                          String blog, long followers, long publicRepos,
                          @Schema(nullable = true) Instant createdAt) {

        static Profile of(ActorProfile p) {
            return new Profile(p.id(), p.name(), p.company(), p.location(), p.countryCode(), p.blog(), p.followers(),
                    p.publicRepos(), p.createdAt());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "The actor's stored events, each counted once")
    public record Activity(long totalEvents, @Schema(description = "distinct repositories") long repositories,
                           @Schema(nullable = true) Instant firstEventAt, @Schema(nullable = true) Instant lastEventAt,
                           @Schema(description = "events by type") Map<String, Long> counts) {
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
        return clickHouse.async(() -> {
            var stored = store.actor(login);
            var a = store.actorActivity(login);
            if (stored.isEmpty() && a.totalEvents() == 0) {
                return ProfileDocs.notFound("no profile or event of " + login + " is stored", path);
            }
            return Response.ok(new Actor(login, ProfileDocs.status(stored), stored.map(s -> s.fetchedAt()).orElse(null),
                    stored.map(s -> s.checkedAt()).orElse(null),
                    stored.map(s -> s.profile()).map(Profile::of).orElse(null),
                    new Activity(a.totalEvents(), a.others(), a.firstEventAt(), a.lastEventAt(), a.counts()))).build();
        });
    }
}
