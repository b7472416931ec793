package io.github.eventsstats.poller;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.eventsstats.github.GitHubConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.InstantSource;

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
            @Schema(nullable = true, description = "why the last poll did not succeed, in words; null after a success",
                    examples = "GitHub unreachable (connection refused)") String lastFailure,
            @Schema(nullable = true, description = "the failure and when polling resumes, as the dashboard says it; null"
                    + " after a success", examples = "rate limit reached — resumes at 14:03 UTC (no token: 60 requests an hour)")
            String reason,
            @Schema(description = "a GITHUB_TOKEN is set: 5,000 requests an hour instead of 60 (the token itself is never"
                    + " shown)") boolean token,
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
    private final GitHubConfig github;
    private final InstantSource clock;

    PollerStatusService(EventsPoller poller, GitHubConfig github, InstantSource clock) {
        this.poller = poller;
        this.github = github;
        this.clock = clock;
    }

    /** Whether a GITHUB_TOKEN is set. */
    public boolean token() {
        return github.token().filter(t -> !t.isBlank()).isPresent();
    }

    /** Why the last poll failed and when polling resumes, in words; null after a success or while disabled. */
    public String reason() {
        PollState s = poller.state();
        return poller.enabled() ? FailureReason.sentence(s.lastFailure, s.waitReason, s.nextPollAt, clock.instant(), token())
                : null;
    }

    public PollerStatus status() {
        PollState s = poller.state();
        PollState.RateLimitSnapshot r = s.rateLimit;
        boolean enabled = poller.enabled();
        return new PollerStatus(enabled, s.lastPollAt, s.lastSuccessAt, s.lastOutcome, s.lastFailure, reason(), token(),
                enabled ? s.nextPollAt : null, s.waitReason.name().toLowerCase(), poller.interval().toSeconds(),
                s.consecutiveFailures, r == null ? null : r.remaining(), r == null ? null : r.limit(),
                r == null ? null : r.reset(), poller.backlogSize(), enabled && poller.overdue());
    }
}
