package io.github.eventsstats.health;

import io.github.eventsstats.github.PollState;
import io.github.eventsstats.ingest.EventsPoller;
import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import java.time.Duration;
import java.time.Instant;

/**
 * The poller's health, in the wellness group (/q/health/well, and /q/health): DOWN when the last
 * successful poll is more than three intervals old, except while GitHub told us to wait. It is
 * deliberately not readiness: the API answers from ClickHouse whether GitHub is reachable or not.
 */
@Wellness
@ApplicationScoped
public class PollerHealthCheck implements HealthCheck {

    private final EventsPoller poller;
    private final Instant startedAt = Instant.now();

    PollerHealthCheck(EventsPoller poller) {
        this.poller = poller;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("poller");
        if (!poller.enabled()) {
            return b.up().withData("disabled", true).build();
        }
        PollState s = poller.state();
        Instant now = Instant.now();
        // Before the first success of this run, the clock starts at start-up.
        Instant reference = s.lastSuccessAt != null && s.lastSuccessAt.isAfter(startedAt) ? s.lastSuccessAt : startedAt;
        Duration interval = poller.interval(); // the one polls keep, POLLER_MIN_INTERVAL included
        boolean waitingAsTold = s.waitReason == PollState.Wait.RATE_LIMIT || s.waitReason == PollState.Wait.RETRY_AFTER;
        boolean overdue = !waitingAsTold && Duration.between(reference, now).compareTo(interval.multipliedBy(3)) > 0;
        b.withData("last_success_at", String.valueOf(s.lastSuccessAt))
                .withData("next_poll_at", String.valueOf(s.nextPollAt))
                .withData("waiting_for", s.waitReason.name().toLowerCase())
                .withData("interval_seconds", interval.toSeconds())
                .withData("consecutive_failures", s.consecutiveFailures)
                .withData("backlog_events", poller.backlogSize())
                .withData("overdue", overdue);
        return b.status(!overdue).build();
    }
}
