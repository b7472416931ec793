package io.github.eventsstats.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.enrich.EnrichmentStore.RepoProfile;
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
import java.util.List;
import java.util.Map;

/** One repository: its GitHub profile as the enricher stored it, and its stored events. */
@Path("/repositories")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "profiles")
public class RepositoriesResource {

    private final ClickHouse clickHouse;
    private final EnrichmentStore store;

    RepositoriesResource(ClickHouse clickHouse, EnrichmentStore store) {
        this.clickHouse = clickHouse;
        this.store = store;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "A repository's enrichment and stored activity")
    public record Repository(
            @Schema(examples = "octocat/hello-world") String repository,
            @Schema(description = ProfileDocs.STATUS, examples = "ok") String profileStatus,
            @Schema(nullable = true, description = ProfileDocs.FETCHED_AT) Instant fetchedAt,
            @Schema(nullable = true, description = ProfileDocs.CHECKED_AT) Instant checkedAt,
            @Schema(nullable = true, description = "GET /repos/{owner}/{repo} as stored; null unless profile_status is ok")
            Profile profile,
            Activity activity) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Profile(long id, String description, @Schema(nullable = true, examples = "Java") String language,
                          List<String> topics, long stars, long forks,
                          @Schema(nullable = true, description = "SPDX id", examples = "MIT") String license,
                          @Schema(nullable = true) Instant createdAt, boolean archived) {

        static Profile of(RepoProfile p) {
            return new Profile(p.id(), p.description(), p.language(), p.topics(), p.stars(), p.forks(), p.license(),
                    p.createdAt(), p.archived());
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "The repository's stored events, each counted once")
    public record Activity(long totalEvents, @Schema(description = "distinct actors") long uniqueUsers,
                           @Schema(nullable = true) Instant firstEventAt, @Schema(nullable = true) Instant lastEventAt,
                           @Schema(description = "events by type") Map<String, Long> counts) {
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
        return clickHouse.async(() -> {
            var stored = store.repository(name);
            var a = store.repositoryActivity(name);
            if (stored.isEmpty() && a.totalEvents() == 0) {
                return ProfileDocs.notFound("no profile or event of " + name + " is stored", path);
            }
            return Response.ok(new Repository(name, ProfileDocs.status(stored),
                    stored.map(s -> s.fetchedAt()).orElse(null), stored.map(s -> s.checkedAt()).orElse(null),
                    stored.map(s -> s.profile()).map(Profile::of).orElse(null),
                    new Activity(a.totalEvents(), a.others(), a.firstEventAt(), a.lastEventAt(), a.counts()))).build();
        });
    }
}
