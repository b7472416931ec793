package io.github.eventsstats.api;

import io.github.eventsstats.coverage.CoverageReport;
import io.github.eventsstats.coverage.CoverageService;
import io.github.eventsstats.coverage.CoverageService.ReportRange;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.InstantSource;

/** GET /metrics/coverage: the per-hour coverage table and the poller's gaps. */
@Path("/metrics/coverage")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "metrics")
public class CoverageResource {

    /** 31 days of hours: one report stays small. */
    static final int MAX_HOURS = 744;

    private final CoverageService coverage;
    private final InstantSource clock;

    CoverageResource(CoverageService coverage, InstantSource clock) {
        this.coverage = coverage;
        this.clock = clock;
    }

    @GET
    @Operation(summary = "How much of GitHub's events each source saw, per UTC hour",
            description = "For every hour of [from, to): the distinct events of the kept types each source (firehose"
                    + " poller, watched repositories, GH Archive, pulls lists) saw, how many of them each other source"
                    + " saw too, and the capture-recapture (Chapman) estimate of the hour's events from the firehose"
                    + " and the archive; plus the stretches where the firehose poller was not polling. from is rounded"
                    + " down and to up to whole hours; defaults: to is the end of the current hour, from 24 hours"
                    + " earlier; at most 744 hours (31 days). New sightings are computed first.")
    @APIResponse(responseCode = "200", description = "the table",
            content = @Content(schema = @Schema(implementation = CoverageReport.class)))
    public Uni<CoverageReport> coverage(
            @Parameter(description = "range start, ISO-8601 UTC (e.g. 2026-01-31T00:00:00Z)") @QueryParam("from")
            String fromParam,
            @Parameter(description = "range end, exclusive, ISO-8601 UTC") @QueryParam("to") String toParam) {
        Params.Window asked = Params.window(fromParam, toParam);
        ReportRange range = ReportRange.of(asked.from(), asked.to(), clock.instant());
        if (!range.to().isAfter(range.from())) {
            throw new BadParameterException("to", "to must be after from");
        }
        if (range.hours() > MAX_HOURS) {
            throw new BadParameterException("from", "from is too early: from..to spans " + range.hours()
                    + " hours, more than " + MAX_HOURS + " (31 days); narrow the range");
        }
        return coverage.report(range);
    }
}
