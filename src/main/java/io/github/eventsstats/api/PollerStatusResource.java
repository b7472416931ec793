package io.github.eventsstats.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.poller.EventsPoller;
import io.github.eventsstats.poller.PollState;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

/** The poller's state for the dashboard's live strip: always a 200, unlike the health check that reports it too. */
@Path("/status/poller")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "activity")
public class PollerStatusResource {

    private final EventsPoller poller;

    PollerStatusResource(EventsPoller poller) {
        this.poller = poller;
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(description = "The poller's state; times are null until they happen")
    public record PollerStatus(
            boolean enabled,
            @Schema(nullable = true) Instant lastPollAt,
            @Schema(nullable = true) Instant lastSuccessAt,
            @Schema(nullable = true, description = "ok, not_modified, rate_limited, error or paused") String lastOutcome,
            @Schema(nullable = true) Instant nextPollAt,
            @Schema(description = "what the next poll waits for: interval, rate_limit, retry_after or backoff")
            String waitingFor,
            long intervalSeconds,
            int consecutiveFailures,
            @Schema(nullable = true, description = "X-RateLimit-Remaining of the last answer") Long rateLimitRemaining,
            @Schema(nullable = true) Long rateLimitLimit,
            @Schema(nullable = true) Instant rateLimitResetAt,
            @Schema(description = "fetched events waiting for ClickHouse") int backlogEvents,
            @Schema(description = "the last success is more than three intervals old") boolean overdue) {
    }

    @GET
    @Operation(summary = "The poller's state: last and next poll, rate limit, backlog",
            description = "The same facts as the poller health check (/q/health/well), always as a 200.")
    @APIResponse(responseCode = "200", description = "the state",
            content = @Content(schema = @Schema(implementation = PollerStatus.class)))
    public PollerStatus pollerStatus() {
        PollState s = poller.state();
        PollState.RateLimitSnapshot r = s.rateLimit;
        boolean enabled = poller.enabled();
        return new PollerStatus(enabled, s.lastPollAt, s.lastSuccessAt, s.lastOutcome,
                enabled ? s.nextPollAt : null, s.waitReason.name().toLowerCase(), poller.interval().toSeconds(),
                s.consecutiveFailures, r == null ? null : r.remaining(), r == null ? null : r.limit(),
                r == null ? null : r.reset(), poller.backlogSize(), enabled && poller.overdue());
    }
}
