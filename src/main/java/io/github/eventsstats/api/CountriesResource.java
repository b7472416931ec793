package io.github.eventsstats.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.cache.AnswerCache;
import io.github.eventsstats.clickhouse.ClickHouse;
import io.github.eventsstats.coverage.Coverage;
import io.github.eventsstats.coverage.CoverageService;
import io.github.eventsstats.enrich.EnrichmentStore;
import io.github.eventsstats.enrich.ProfileStatus;
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

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;

/** The countries of the active actors, from their enriched profiles' locations. */
@Path("/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "metrics")
public class CountriesResource {

    private final ClickHouse clickHouse;
    private final EnrichmentStore store;
    private final InstantSource clock;
    private final AnswerCache cache;
    private final CoverageService coverage;

    CountriesResource(ClickHouse clickHouse, EnrichmentStore store, InstantSource clock, AnswerCache cache,
                      CoverageService coverage) {
        this.clickHouse = clickHouse;
        this.store = store;
        this.clock = clock;
        this.cache = cache;
        this.coverage = coverage;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "Countries by the actors with events created in [from, to] whose profile location tells"
            + " one; the totals say how many actors that leaves out")
    public record TopCountries(int days, Instant from, Instant to, int limit, List<Country> countries,
                               @Schema(description = "actors with events in the window") long actors,
                               @Schema(description = "of them, those with a stored profile (or a 404 for one)")
                               long actorsEnriched,
                               @Schema(description = "of them, those whose location tells a country") long actorsLocated,
                               Coverage coverage) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Country(@Schema(description = "ISO 3166-1 alpha-2", examples = "DE") String countryCode,
                          @Schema(description = "distinct actors located there") long actors,
                          @Schema(description = "their events in the window, each once") long events) {
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
        int d = Integer.parseInt(days);
        int max = Integer.parseInt(limit);
        Instant to = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant from = to.minus(Duration.ofDays(d));
        return cache.answer("top-countries?days=" + d + "&limit=" + max, () -> clickHouse.async(() -> {
            List<EnrichmentStore.CountryRow> rows = store.countries(from, to);
            long actors = rows.stream().mapToLong(EnrichmentStore.CountryRow::actors).sum();
            long enriched = rows.stream().filter(r -> !r.status().isEmpty())
                    .mapToLong(EnrichmentStore.CountryRow::actors).sum();
            List<Country> countries = rows.stream()
                    .filter(r -> r.status().equals(ProfileStatus.OK.tag()) && !r.country().isEmpty())
                    .map(r -> new Country(r.country(), r.actors(), r.events()))
                    .sorted(Comparator.comparingLong(Country::actors).reversed()
                            .thenComparing(Comparator.comparingLong(Country::events).reversed())
                            .thenComparing(Country::countryCode))
                    .toList();
            long located = countries.stream().mapToLong(Country::actors).sum();
            return new TopCountries(d, from, to, max, countries.subList(0, Math.min(max, countries.size())), actors,
                    enriched, located, coverage.of(from, to));
        }));
    }
}
