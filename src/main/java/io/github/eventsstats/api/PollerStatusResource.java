package io.github.eventsstats.api;

import io.github.eventsstats.poller.PollerStatusService;
import io.github.eventsstats.poller.PollerStatusService.PollerStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The poller's state for the dashboard's live strip: always a 200, unlike the health check that reports it too. */
@Path("/status/poller")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "activity")
public class PollerStatusResource {

    private final PollerStatusService poller;

    PollerStatusResource(PollerStatusService poller) {
        this.poller = poller;
    }

    @GET
    @Operation(summary = "The poller's state: last and next poll, rate limit, backlog",
            description = "The same facts as the poller health check (/q/health/well), always as a 200.")
    @APIResponse(responseCode = "200", description = "the state",
            content = @Content(schema = @Schema(implementation = PollerStatus.class)))
    public PollerStatus pollerStatus() {
        return poller.status();
    }
}
