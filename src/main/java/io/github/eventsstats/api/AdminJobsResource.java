package io.github.eventsstats.api;

import io.github.eventsstats.archive.ArchiveHours;
import io.github.eventsstats.archive.SyncJobs;
import io.github.eventsstats.archive.SyncJobs.JobList;
import io.github.eventsstats.archive.SyncJobs.JobState;
import io.github.eventsstats.event.TypeSelection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;

/**
 * Admin jobs: a GH Archive sync of a range of hours started over HTTP, the recent jobs (the scheduled
 * syncs' too), and any job's progress.
 * Plain return types: these run on a worker thread (the start reads the clock and the sync's state only).
 */
@Path("/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@AdminOnly
@SecurityRequirement(name = AdminOnly.SCHEME)
public class AdminJobsResource {

    private final SyncJobs syncs;

    AdminJobsResource(SyncJobs syncs) {
        this.syncs = syncs;
    }

    @POST
    @Path("/archive/sync")
    @Operation(summary = "Sync a range of GH Archive hours",
            description = "Starts a job that downloads the hour files from `from` up to, not including, `to` and loads"
                    + " the events of `types` as `backfill --from` does (hours already loaded are skipped, whatever"
                    + " types they were loaded with). Answers the job at once; GET /admin/jobs/{id} tells its progress.")
    @APIResponse(responseCode = "202", description = "started; Location is the job",
            content = @Content(schema = @Schema(implementation = JobState.class)))
    @APIResponse(responseCode = "400", description = "from or to is not an hour, to is not after from, or types names"
            + " a type GitHub does not have",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "a sync is running; its job is named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response startSync(
            @Parameter(description = "first hour: a UTC date-hour (2026-11-01T00) or a period back (P7D)", required = true)
            @QueryParam("from") String fromText,
            @Parameter(description = "up to this hour, not included (default: the current hour)")
            @QueryParam("to") String toText,
            @Parameter(description = "event types to store, comma-separated GitHub names (PushEvent,ForkEvent), or * for"
                    + " every type (default: ARCHIVE_SYNC_EVENT_TYPES, else POLLER_EVENT_TYPES)",
                    schema = @Schema(type = SchemaType.STRING, examples = "*"))
            @QueryParam("types") String typesText,
            @Context UriInfo uri) {
        TypeSelection types = types(typesText);
        Instant from = hour("from", fromText);
        Instant to = toText == null || toText.isBlank() ? syncs.currentHour() : hour("to", toText);
        if (!to.isAfter(from)) {
            throw new BadParameterException(toText == null ? "from" : "to", "to (" + to + ") must be after from ("
                    + from + ")");
        }
        try {
            ArchiveHours.checkRange(from, to);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("from", e.getMessage());
        }
        return switch (syncs.start(from, to, types)) {
            case SyncJobs.Started started -> Response.accepted(started.job())
                    .location(URI.create("/admin/jobs/" + started.job().id())).build();
            case SyncJobs.Busy busy -> ProblemMapper.problem(Response.Status.CONFLICT, busy.detail(), uri.getPath(), null)
                    .toResponse();
        };
    }

    @GET
    @Path("/jobs")
    @Operation(summary = "Recent jobs",
            description = "The jobs kept in memory (the last 100, newest first): archive syncs started over HTTP, and"
                    + " the scheduled sync's runs that loaded an hour or met a failure (a run that found only hours"
                    + " loaded already, not published yet or missing is listed only while it runs). Each with its"
                    + " state and progress, as GET /admin/jobs/{id}.")
    @APIResponse(responseCode = "200", description = "the jobs",
            content = @Content(schema = @Schema(implementation = JobList.class)))
    public JobList recent() {
        return syncs.recent();
    }

    @GET
    @Path("/jobs/{id}")
    @Operation(summary = "A job's state and progress", description = "Jobs are kept in memory, the last 100.")
    @APIResponse(responseCode = "200", description = "the job",
            content = @Content(schema = @Schema(implementation = JobState.class)))
    @APIResponse(responseCode = "404", description = "no such job (or forgotten after a restart)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response job(@PathParam("id") String id, @Context UriInfo uri) {
        return syncs.job(id).map(j -> Response.ok(j).build())
                .orElseGet(() -> ProblemMapper.notFound("no job " + id, uri.getPath()));
    }

    private TypeSelection types(String text) {
        try {
            return syncs.types(text);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException("types", "types: " + e.getMessage());
        }
    }

    private Instant hour(String name, String text) {
        if (text == null || text.isBlank()) {
            throw new BadParameterException(name, name + " is required: a UTC date-hour such as 2026-11-01T00 or a"
                    + " period back such as P7D");
        }
        try {
            return syncs.hour(text);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException(name, name + ": " + e.getMessage());
        }
    }
}
