package io.github.eventsstats.api;

import io.github.eventsstats.enrich.ProfileAnswers.TopCountries;
import io.github.eventsstats.enrich.ProfileService;
import io.github.eventsstats.enrich.ProfileService.TopCountriesQuery;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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

/** The countries of the active actors, from their enriched profiles' locations. */
@Path("/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "metrics")
public class CountriesResource {

    private final ProfileService profiles;

    CountriesResource(ProfileService profiles) {
        this.profiles = profiles;
    }

    @GET
    @Path("/top-countries")
    @Operation(summary = "The countries of the most actors active in the last D days",
            description = "Events with now - days <= created_at <= now, their actors by the country the enricher told"
                    + " from their profile's location (offline; unknown is left out), most actors first (ties by"
                    + " events, then code). Only enriched actors count: actors_enriched and actors_located say how many.")
    @APIResponse(responseCode = "200", description = "the countries",
            content = @Content(schema = @Schema(implementation = TopCountries.class)))
    public Uni<TopCountries> topCountries(
            @Parameter(description = ApiDocs.DAYS, schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("days") @DefaultValue("7") @WholeNumber @Min(1) @Max(MetricsResource.MAX_DAYS) String days,
            @Parameter(description = ApiDocs.LIMIT, schema = @Schema(type = SchemaType.INTEGER))
            @QueryParam("limit") @DefaultValue("10") @WholeNumber @Min(1) @Max(MetricsResource.MAX_LIMIT) String limit) {
        return profiles.topCountries(new TopCountriesQuery(Integer.parseInt(days), Integer.parseInt(limit)));
    }
}
