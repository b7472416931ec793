package io.github.eventsstats.poller;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** The firehose poller's state as the dashboard's live strip shows it: the poller health check's facts. */
@ApplicationScoped
public class PollerStatusService {

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

    private final EventsPoller poller;

    PollerStatusService(EventsPoller poller) {
        this.poller = poller;
    }

    public PollerStatus status() {
        PollState s = poller.state();
        PollState.RateLimitSnapshot r = s.rateLimit;
        boolean enabled = poller.enabled();
        return new PollerStatus(enabled, s.lastPollAt, s.lastSuccessAt, s.lastOutcome,
                enabled ? s.nextPollAt : null, s.waitReason.name().toLowerCase(), poller.interval().toSeconds(),
                s.consecutiveFailures, r == null ? null : r.remaining(), r == null ? null : r.limit(),
                r == null ? null : r.reset(), poller.backlogSize(), enabled && poller.overdue());
    }
}
